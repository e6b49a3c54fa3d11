import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, graphqlChallenge, graphqlVerify } from '../support/graphql';
import { signUp } from '../support/twoFactor';

const EMAIL_SETUP = gql`
  mutation EmailSetup {
    twoFactorEmailSetup { factorId sentTo expiresAt resendAvailableAt }
  }
`;
const EMAIL_ACTIVATE = gql`
  mutation EmailActivate($input: TwoFactorActivateInput!) {
    twoFactorEmailActivate(input: $input) { factor { id type } recoveryCodes }
  }
`;

describe(`GraphQL email codes on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  afterAll(async () => {
    await app?.stop();
    await smtp.close();
  });

  const drainEmail = () => app.strapi.plugin('two-factor').service('email').drain();

  it('should enrol the account email and sign in with an emailed code', async () => {
    const user = await signUp(app);
    const setup = await graphql<{ twoFactorEmailSetup: { factorId: string; sentTo: string } }>(
      app,
      EMAIL_SETUP,
      {},
      { bearer: user.jwt },
    );
    expect(setup.errors).toEqual([]);
    const activated = await graphql<{ twoFactorEmailActivate: { factor: { type: string }; recoveryCodes: string[] } }>(
      app,
      EMAIL_ACTIVATE,
      { input: { factorId: setup.data?.twoFactorEmailSetup.factorId, code: smtp.lastCode(user.email) } },
      { bearer: user.jwt },
    );
    expect(activated.errors).toEqual([]);
    expect(activated.data?.twoFactorEmailActivate.factor.type).toBe('email');
    expect(activated.data?.twoFactorEmailActivate.recoveryCodes).toHaveLength(10);
    await drainEmail();

    const before = smtp.messages(user.email).length;
    const challenge = await graphqlChallenge(app, user);
    expect(challenge.method).toBe('email');
    await drainEmail();
    expect(smtp.messages(user.email).length).toBeGreaterThan(before);
    const verified = await graphqlVerify(app, {
      token: challenge.token,
      method: 'email',
      code: smtp.lastCode(user.email),
    });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.user.username).toBe(user.username);
  });
});
