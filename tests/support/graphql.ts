import type { ExampleApp } from '@strapi-two-factor/test-utils';
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import { waitForSms } from './twoFactor';

/** One GraphQL error as Strapi formats it (`extensions.error` for its own error classes). */
export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    stacktrace?: unknown;
    error?: { name?: string; message?: string; details?: { code?: string; [key: string]: unknown } };
  };
}

export interface GraphqlAnswer<Data> {
  status: number;
  data: Data | null | undefined;
  errors: GraphqlError[];
  headers: Headers;
}

export interface GraphqlOptions {
  /** Sent as `Authorization: Bearer …` (a jwt or an enrolment token). */
  bearer?: string;
  headers?: Record<string, string>;
}

/** graphql-request, an outside client, pointed at the app's `/graphql`. */
export function graphqlClient(app: ExampleApp, headers: Record<string, string> = {}): GraphQLClient {
  return new GraphQLClient(`${app.url}/graphql`, { headers });
}

/**
 * Sends one operation with the outside client and returns its data, throwing on any error: for
 * reads that must simply work (introspection), so a check does not lean on our own HTTP helper.
 */
export function graphqlRequest<Data>(app: ExampleApp, document: string): Promise<Data> {
  return graphqlClient(app).request<Data>(document);
}

/**
 * Sends one operation with graphql-request, an outside client, and returns data and errors
 * alike (a GraphQL error is an answer to check, not an exception).
 */
export async function graphql<Data = Record<string, unknown>>(
  app: ExampleApp,
  document: string,
  variables: Record<string, unknown> = {},
  options: GraphqlOptions = {},
): Promise<GraphqlAnswer<Data>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const client = graphqlClient(app, headers);
  try {
    const response = await client.rawRequest<Data>(document, variables);
    return {
      status: response.status,
      data: response.data,
      errors: (response.errors ?? []) as GraphqlError[],
      headers: response.headers,
    };
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    const response = error.response as unknown as {
      status: number;
      data?: Data;
      errors?: GraphqlError[];
      headers: Headers;
    };
    return { status: response.status, data: response.data, errors: response.errors ?? [], headers: response.headers };
  }
}

/** The plugin's `details.code` of the first error, where Strapi's formatting puts it. */
export function graphqlErrorCode(answer: GraphqlAnswer<unknown>): string | undefined {
  return answer.errors[0]?.extensions?.error?.details?.code;
}

export const TWO_FACTOR_LOGIN = gql`
  mutation Login($input: TwoFactorLoginInput!) {
    twoFactorLogin(input: $input) {
      __typename
      ... on UsersPermissionsLoginPayload {
        jwt
        user { id username }
      }
      ... on TwoFactorSession {
        jwt
        user { id username }
        trustedDevice { token expiresAt }
      }
      ... on TwoFactorChallenge {
        token
        expiresAt
        methods
        method
        sentTo
        resendAvailableAt
      }
      ... on TwoFactorEnrollment {
        token
        expiresAt
      }
    }
  }
`;

export interface LoginResult {
  twoFactorLogin: {
    __typename: 'UsersPermissionsLoginPayload' | 'TwoFactorSession' | 'TwoFactorChallenge' | 'TwoFactorEnrollment';
    jwt?: string | null;
    user?: { id: string; username: string };
    trustedDevice?: { token: string; expiresAt: string } | null;
    token?: string;
    expiresAt?: string;
    methods?: string[];
    method?: string;
    sentTo?: string | null;
    resendAvailableAt?: string | null;
  };
}

export const TWO_FACTOR_VERIFY = gql`
  mutation Verify($input: TwoFactorVerifyInput!) {
    twoFactorVerify(input: $input) {
      jwt
      user { id username }
      trustedDevice { token expiresAt }
    }
  }
`;

export interface SessionResult {
  jwt: string | null;
  user: { id: string; username: string };
  trustedDevice: { token: string; expiresAt: string } | null;
}

export type VerifyAnswer = GraphqlAnswer<{ twoFactorVerify: SessionResult }>;

/** Step 2 over GraphQL: `twoFactorVerify` with the given input. */
export function graphqlVerify(
  app: ExampleApp,
  input: Record<string, unknown>,
  options: GraphqlOptions = {},
): Promise<VerifyAnswer> {
  return graphql<{ twoFactorVerify: SessionResult }>(app, TWO_FACTOR_VERIFY, { input }, options);
}

export const TWO_FACTOR_SEND_CODE = gql`
  mutation Send($input: TwoFactorSendCodeInput!) {
    twoFactorSendCode(input: $input) { sentTo expiresAt resendAvailableAt }
  }
`;

export const TWO_FACTOR_ME = gql`
  query Me {
    twoFactorMe {
      enabled
      required
      factors { id type label sentTo createdAt lastUsedAt }
      recoveryCodesRemaining
      trustedDevices { id userAgent lastUsedAt expiresAt }
    }
  }
`;

export const TWO_FACTOR_STEP_UP_VERIFY = gql`
  mutation StepUpVerify($input: TwoFactorStepUpVerifyInput!) {
    twoFactorStepUpVerify(input: $input) { jwt }
  }
`;

export const TWO_FACTOR_REGENERATE = gql`
  mutation Regenerate($input: TwoFactorRegenerateRecoveryCodesInput!) {
    twoFactorRegenerateRecoveryCodes(input: $input) { recoveryCodes }
  }
`;

export interface MeResult {
  twoFactorMe: {
    enabled: boolean;
    required: boolean;
    factors: { id: string; type: string; label: string | null; sentTo: string | null }[];
    recoveryCodesRemaining: number;
    trustedDevices: { id: string; userAgent: string | null; expiresAt: string }[];
  };
}

/** Step 1 over GraphQL for a user with a factor: the challenge, failing the test otherwise. */
export async function graphqlChallenge(
  app: ExampleApp,
  user: { username: string; password: string },
): Promise<NonNullable<LoginResult['twoFactorLogin']> & { token: string }> {
  const answer = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, {
    input: { identifier: user.username, password: user.password },
  });
  const result = answer.data?.twoFactorLogin;
  if (result?.__typename !== 'TwoFactorChallenge' || result.token === undefined) {
    throw new Error(`Expected a challenge, got ${JSON.stringify(answer)}`);
  }
  return { ...result, token: result.token };
}

/** Step 1 over GraphQL for a user with an SMS factor, then the SMS that leaves after the response. */
export async function graphqlSmsChallenge(
  app: ExampleApp,
  user: { username: string; password: string; phone: string },
): Promise<Awaited<ReturnType<typeof graphqlChallenge>> & { code: string }> {
  const before = (await app.sms.messages(user.phone)).length;
  const challenge = await graphqlChallenge(app, user);
  await waitForSms(app, user.phone, before + 1);
  return { ...challenge, code: await app.sms.lastCode(user.phone) };
}
