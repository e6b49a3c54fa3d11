import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminPasskeyRow,
  type AdminUserRow,
  createAdmin,
  findAdminUser,
  type Page,
  superAdminRole,
  type TestAdmin,
} from '../support/adminApi';
import {
  authenticatorFor,
  enrolPasskey,
  passkeyLoginChallenge,
  passkeyReauthentication,
  passwordlessOptions,
  passwordlessVerify,
  registerPasskey,
  userWithPasskey,
} from '../support/passkeyEnrolment';
import { enrolSms, signUp, smsReauthentication, travel } from '../support/twoFactor';

type AdminUserWithPasskeys = AdminUserRow & { passkeys: AdminPasskeyRow[] };

describe(`admin API: users' passkeys on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    app = await startExampleApp();
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  const findUser = (search: string, id: number) => findAdminUser<AdminUserWithPasskeys>(app, admin, search, id);

  it('should list each passkey with its label, whether it is backed up, and no use yet', async () => {
    const user = await signUp(app, 'adminpk');
    const { phone } = await enrolSms(app, user.jwt);
    const synced = authenticatorFor(app, { backedUp: true });
    const laptop = await registerPasskey(app, user.jwt, synced, {
      reauth: await smsReauthentication(app, user.jwt, phone),
      label: 'Phone (synced)',
    });
    expect(laptop.activate.status, JSON.stringify(laptop.activate.body)).toBe(200);
    const key = await registerPasskey(app, user.jwt, authenticatorFor(app, { backedUp: false }), {
      reauth: await smsReauthentication(app, user.jwt, phone),
      label: 'Security key',
    });
    expect(key.activate.status, JSON.stringify(key.activate.body)).toBe(200);

    const row = await findUser(user.username, user.id);
    expect(row?.methods.sort()).toEqual(['passkey', 'sms']);
    expect(row?.passkeys).toEqual([
      {
        id: laptop.activate.body.factor.id,
        label: 'Phone (synced)',
        backedUp: true,
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
      {
        id: key.activate.body.factor.id,
        label: 'Security key',
        backedUp: false,
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);
  });

  it('should show a passkey’s last use after a passwordless sign-in, and only on that passkey', async () => {
    const user = await userWithPasskey(app);
    const second = authenticatorFor(app);
    await enrolPasskey(app, user.jwt, second, await passkeyReauthentication(app, user.jwt, user.authenticator));
    const before = await findUser(user.username, user.id);
    const reauthenticatedAt = Date.parse(before?.passkeys[0]?.lastUsedAt ?? '');
    expect(before?.passkeys[1]?.lastUsedAt).toBeNull();

    travel(app, 120);
    const { token, options } = await passwordlessOptions(app);
    const signedIn = await passwordlessVerify(app, token, second.assert(options));
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);

    const after = await findUser(user.username, user.id);
    // The first passkey's use was the re-authentication; the second's the sign-in, 2 minutes later.
    expect(after?.passkeys[0]?.lastUsedAt).toBe(before?.passkeys[0]?.lastUsedAt);
    expect(Date.parse(after?.passkeys[1]?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(reauthenticatedAt + 120_000);
    expect(after?.lastUsedAt).toBe(after?.passkeys[1]?.lastUsedAt);
  });

  it('should show a passkey’s last use after it passed the second step of a password sign-in', async () => {
    const user = await userWithPasskey(app);
    expect((await findUser(user.username, user.id))?.passkeys[0]?.lastUsedAt).toBeNull();
    const challenge = await passkeyLoginChallenge(app, user);
    const verify = await app.http.post('/api/two-factor/challenge/verify', {
      token: challenge.token,
      method: 'passkey',
      response: user.authenticator.assert(challenge.passkeyOptions),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect((await findUser(user.username, user.id))?.passkeys[0]?.lastUsedAt).toEqual(expect.any(String));
  });

  it('should never show a passkey’s credential ID or public key', async () => {
    const user = await userWithPasskey(app);
    const response = await app.http.get<Page<AdminUserWithPasskeys>>(
      `/two-factor/users?search=${encodeURIComponent(user.username)}`,
      { jwt: admin.token },
    );
    const text = JSON.stringify(response.body);
    expect(text).toContain('"passkeys"');
    expect(text).not.toContain(user.credentialId);
    const stored = (await app.strapi.db
      .query('plugin::two-factor.factor')
      .findOne({ where: { id: user.factorId }, select: ['publicKey'] })) as { publicKey: string } | null;
    expect(stored?.publicKey).toEqual(expect.any(String));
    expect(text).not.toContain(stored?.publicKey);
    expect(Object.keys(response.body.results[0]?.passkeys[0] ?? {}).sort()).toEqual([
      'backedUp',
      'createdAt',
      'id',
      'label',
      'lastUsedAt',
    ]);
  });

  it('should list no passkeys for a user without one, nor after an admin reset', async () => {
    const plain = await signUp(app, 'nopk');
    expect((await findUser(plain.username, plain.id))?.passkeys).toEqual([]);

    const user = await userWithPasskey(app);
    expect((await findUser(user.username, user.id))?.passkeys).toHaveLength(1);
    const reset = await app.http.post<AdminUserWithPasskeys>(
      `/two-factor/users/${user.id}/reset`,
      {},
      { jwt: admin.token },
    );
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ methods: [], passkeys: [] });
  });

  it('should leave a pending passkey (set up, never activated) out of the list', async () => {
    const user = await userWithPasskey(app);
    const pending = await app.http.post<{ factorId: number }>(
      '/api/two-factor/passkey/setup',
      await passkeyReauthentication(app, user.jwt, user.authenticator),
      { jwt: user.jwt },
    );
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    const row = await findUser(user.username, user.id);
    expect(row?.passkeys.map((passkey) => passkey.id)).toEqual([user.factorId]);
  });
});
