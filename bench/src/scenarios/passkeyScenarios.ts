import type { ExampleApp } from '@strapi-two-factor/test-utils';
import { SoftwareAuthenticator } from '../../../tests/support/passkeyAuthenticator';
import { authenticatorCode } from '../../../tests/support/totp';
import { BENCH_PASSKEY_ORIGIN, type BenchApp, startBenchApp } from '../benchApp';
import { type BenchUser, mapWithConcurrency, registerUser } from '../benchUsers';
import type { RequestSpec } from '../load/protocol';
import { measureInterleaved } from '../measure';
import { profileRequests } from '../profile';
import { SIZES } from './requests';
import type { ScenarioContext } from './scenarioContext';

const VERIFY_ROUTE = 'POST /api/two-factor/challenge/verify';

interface TotpUser extends BenchUser {
  secret: string;
}

interface PasskeyUser extends BenchUser {
  authenticator: SoftwareAuthenticator;
}

function expectStatus(what: string, response: { status: number; body: unknown }): void {
  if (response.status !== 200) {
    throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
  }
}

function pluginStep(app: ExampleApp): number {
  const now: Date = app.strapi.plugin('two-factor').service('clock').now();
  return Math.floor(now.getTime() / 1000 / 30);
}

/** Moves the plugin's clock to the middle of the next TOTP step: codes computed now stay valid. */
function moveToMiddleOfNextStep(app: ExampleApp): void {
  const clock = app.strapi.plugin('two-factor').service('clock');
  const intoStepSeconds = (clock.now().getTime() / 1000) % 30;
  clock.travel((30 + 15 - intoStepSeconds) * 1000);
}

/** Users with an authenticator app, enrolled through the self-service routes (no SMS). */
async function enrolTotpUsers(bench: BenchApp, count: number): Promise<TotpUser[]> {
  return mapWithConcurrency(count, 8, async () => {
    const user = await registerUser(bench, 'totp');
    const setup = await bench.post<{ factorId: number; secret: string }>('/api/two-factor/totp/setup', {}, user.jwt);
    expectStatus('totp/setup', setup);
    const activate = await bench.post(
      '/api/two-factor/totp/activate',
      { factorId: setup.body.factorId, code: authenticatorCode(setup.body.secret, pluginStep(bench.app)) },
      user.jwt,
    );
    expectStatus('totp/activate', activate);
    return { ...user, secret: setup.body.secret };
  });
}

/** Users whose only factor is a passkey on a software authenticator (ES256, as most platform passkeys). */
async function enrolPasskeyUsers(bench: BenchApp, count: number): Promise<PasskeyUser[]> {
  return mapWithConcurrency(count, 8, async () => {
    const user = await registerUser(bench, 'passkey');
    const authenticator = new SoftwareAuthenticator({ origin: BENCH_PASSKEY_ORIGIN });
    const setup = await bench.post<{ factorId: number; options: Parameters<SoftwareAuthenticator['register']>[0] }>(
      '/api/two-factor/passkey/setup',
      {},
      user.jwt,
    );
    expectStatus('passkey/setup', setup);
    const activate = await bench.post(
      '/api/two-factor/passkey/activate',
      { factorId: setup.body.factorId, response: authenticator.register(setup.body.options), label: 'bench' },
      user.jwt,
    );
    expectStatus('passkey/activate', activate);
    return { ...user, authenticator };
  });
}

interface LoginChallengeBody {
  challenge?: { token: string; passkeyOptions?: Parameters<SoftwareAuthenticator['assert']>[0] };
}

/** Step 1 with the right password: the challenge token and, for a passkey user, its options. */
async function stepOne(bench: BenchApp, user: BenchUser): Promise<Required<LoginChallengeBody>['challenge']> {
  const response = await bench.post<LoginChallengeBody>('/api/auth/local', {
    identifier: user.username,
    password: user.password,
  });
  expectStatus(`step 1 for ${user.username}`, response);
  if (response.body.challenge === undefined) throw new Error(`No challenge: ${JSON.stringify(response.body)}`);
  return response.body.challenge;
}

/**
 * Step 2 with an authenticator-app code and with a passkey, one request at a time, the two
 * taking turns (TOTP, passkey, TOTP, …) so that the machine's load and the JIT's warming fall
 * on both alike: the ratio of their server times is the point, more than either number.
 * Every answer is precomputed before the timed run (codes, signatures), so the server time
 * is the plugin's verification and Strapi's token issuing, not the client's signing.
 *
 * A TOTP step is accepted once per factor, so each TOTP verify has a user of its own; a
 * passkey user answers several challenges, each assertion with the next sign counter, in
 * the order they are sent.
 */
export async function runPasskeyScenarios(context: ScenarioContext): Promise<void> {
  const bench = await startBenchApp(context.database, 'plugin-on', context.twilioUrl);
  const measureContext = { database: context.database, bench, load: context.load };
  try {
    const samples = SIZES.profileSamples;
    const verifies = SIZES.passkeyWarmupRounds + SIZES.passkeyRounds;
    const totpUsers = await enrolTotpUsers(bench, verifies + samples);
    const passkeyUsers = await enrolPasskeyUsers(bench, SIZES.passkeyUsers);

    const totpChallenges = await mapWithConcurrency(totpUsers.length, 8, (index) =>
      stepOne(bench, totpUsers[index] as TotpUser),
    );
    const passkeyChallenges = await mapWithConcurrency(verifies + samples, 8, async (index) => ({
      user: passkeyUsers[index % passkeyUsers.length] as PasskeyUser,
      challenge: await stepOne(bench, passkeyUsers[index % passkeyUsers.length] as PasskeyUser),
    }));
    // Signed in the order they will be sent: each assertion carries its user's next counter.
    const passkeyBodies = passkeyChallenges.map(({ user, challenge }) => {
      if (challenge.passkeyOptions === undefined) throw new Error('The challenge offers no passkey');
      return {
        token: challenge.token,
        method: 'passkey',
        response: user.authenticator.assert(challenge.passkeyOptions),
      };
    });
    // Activation spent the current step: the codes are for the next one (±1 step is accepted).
    moveToMiddleOfNextStep(bench.app);
    const step = pluginStep(bench.app);
    const totpBodies = totpChallenges.map((challenge, index) => ({
      token: challenge.token,
      method: 'totp',
      code: authenticatorCode((totpUsers[index] as TotpUser).secret, step),
    }));

    const request = (body: unknown): RequestSpec => ({
      method: 'POST',
      path: VERIFY_ROUTE.slice(5),
      body: JSON.stringify(body),
    });
    context.measurements.push(
      ...(await measureInterleaved(measureContext, {
        route: VERIFY_ROUTE,
        kinds: [
          {
            id: 'verify.totp.c1',
            scenario: 'Step 2, authenticator-app code, one at a time (turns with the passkey)',
            request: (index) => request(totpBodies[index]),
          },
          {
            id: 'verify.passkey.c1',
            scenario: 'Step 2, passkey, one at a time (turns with the app code)',
            request: (index) => request(passkeyBodies[index]),
          },
        ],
        warmupRounds: SIZES.passkeyWarmupRounds,
        rounds: SIZES.passkeyRounds,
        expectedStatus: 200,
      })),
    );

    const verify = (body: unknown) => () => bench.post('/api/two-factor/challenge/verify', body);
    const profile = context.profile.requests;
    profile['verify, TOTP code'] = await profileRequests(bench, 200, totpBodies.slice(verifies).map(verify));
    profile['verify, passkey'] = await profileRequests(bench, 200, passkeyBodies.slice(verifies).map(verify));

    // Passwordless sign-in refused: a registered passkey whose signature is wrong against one
    // the server never saw. Whether a credential is registered must not show in the time. At
    // most 4 failures per user (the lock-out needs 10 in a row).
    const rounds = SIZES.enumerationWarmupRounds + SIZES.enumerationRounds;
    // Even: registered credential, odd: unknown; the last pairs for the profile.
    const refusedBodies = await mapWithConcurrency(2 * (rounds + samples), 4, async (index) => {
      const options = await bench.post<{ token: string; options: Parameters<SoftwareAuthenticator['assert']>[0] }>(
        '/api/two-factor/passkey/login/options',
        {},
      );
      expectStatus('passkey/login/options', options);
      const user = passkeyUsers[Math.floor(index / 2) % passkeyUsers.length] as PasskeyUser;
      const response =
        index % 2 === 0
          ? user.authenticator.assert(options.body.options, { tamperSignature: true })
          : user.authenticator.assert(options.body.options, {
              credential: user.authenticator.strayCredential(options.body.options.rpId),
            });
      return { token: options.body.token, response };
    });
    const loginVerify = (body: unknown): RequestSpec => ({
      method: 'POST',
      path: '/api/two-factor/passkey/login/verify',
      body: JSON.stringify(body),
    });
    context.measurements.push(
      ...(await measureInterleaved(measureContext, {
        route: 'POST /api/two-factor/passkey/login/verify (→ 400 INVALID_PASSKEY)',
        kinds: [
          {
            id: 'enumeration.passkey-unknown.plugin-on',
            scenario: 'Passwordless passkey sign-in, unknown credential',
            request: (index) => loginVerify(refusedBodies[2 * index + 1]),
          },
          {
            id: 'enumeration.passkey-known.plugin-on',
            scenario: 'Passwordless passkey sign-in, registered credential, wrong signature',
            request: (index) => loginVerify(refusedBodies[2 * index]),
          },
        ],
        warmupRounds: SIZES.enumerationWarmupRounds,
        rounds: SIZES.enumerationRounds,
        expectedStatus: 400,
      })),
    );
    const refused = (parity: 0 | 1) =>
      refusedBodies
        .slice(2 * rounds)
        .filter((_, index) => index % 2 === parity)
        .map((body) => () => bench.post('/api/two-factor/passkey/login/verify', body));
    profile['passkey/login/verify, registered credential'] = await profileRequests(bench, 400, refused(0));
    profile['passkey/login/verify, unknown credential'] = await profileRequests(bench, 400, refused(1));
  } finally {
    await bench.stop();
  }
}
