import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { PLUGIN_ID } from '../../platform/pluginId';
import { markChallengeCapable, unmarkChallengeCapable } from '../auth/challengeCapableRequests';
import { createGraphqlEnrolmentStrategy } from './graphqlEnrolmentStrategy';
import { runRestAction, withoutNulls } from './runRestAction';
import { TWO_FACTOR_TYPE_DEFS } from './twoFactorTypeDefs';

type Input = Record<string, unknown> | null | undefined;
type Resolver = (parent: unknown, args: { input?: Input }, context: { koaContext: Context }) => Promise<unknown>;

interface GraphqlExtensionService {
  use(
    configure: () => {
      typeDefs: string;
      resolvers: Record<string, Record<string, unknown>>;
      resolversConfig: Record<string, unknown>;
    },
  ): unknown;
}

interface AuthRegistry {
  register(type: string, strategy: unknown): unknown;
}

const REQUEST_LIMIT = `plugin::${PLUGIN_ID}.rateLimit`;

type Action = (ctx: Context) => Promise<unknown>;

/** A controller action as the plugin registry holds it (the instance REST routes run). */
function controllerAction(strapi: Core.Strapi, plugin: string, handler: string): Action {
  const [controller = '', action = ''] = handler.split('.');
  const actions = strapi.plugin(plugin).controller(controller) as unknown as Record<string, Action | undefined>;
  const run = actions[action];
  if (run === undefined) throw new Error(`No controller action "${handler}" in plugin "${plugin}"`);
  return (ctx) => run.call(actions, ctx);
}

/** What a REST route runs, for one GraphQL operation. */
interface Operation {
  /** `controller.action` of the plugin, as the REST route's handler names it. */
  handler: string;
  /** The REST body, built from the GraphQL input. */
  body?: (input: Record<string, unknown>) => Record<string, unknown>;
  params?: (input: Record<string, unknown>) => Record<string, unknown>;
  /** The REST answer as the GraphQL payload. */
  result?: (body: Record<string, unknown>) => unknown;
  /** Public (the challenge or the phone is the credential) or the REST route's action as scope. */
  isPublic?: boolean;
}

const mutations: Record<string, Operation> = {
  twoFactorVerify: { handler: 'challenge.verify', isPublic: true },
  twoFactorSendCode: { handler: 'challenge.send', isPublic: true },
  twoFactorPhoneRegister: { handler: 'phone.register', isPublic: true },
  twoFactorPhoneVerify: { handler: 'phone.verify', isPublic: true },
  twoFactorPhoneResend: { handler: 'phone.resend', isPublic: true },
  twoFactorPhoneLogin: { handler: 'phone.login', isPublic: true, result: (body) => body.challenge },
  twoFactorSmsSetup: { handler: 'smsFactor.setup' },
  twoFactorSmsActivate: { handler: 'smsFactor.activate' },
  twoFactorEmailSetup: { handler: 'emailFactor.setup' },
  twoFactorEmailActivate: { handler: 'emailFactor.activate' },
  twoFactorTotpSetup: { handler: 'totp.setup' },
  twoFactorTotpActivate: { handler: 'totp.activate' },
  twoFactorPasskeySetup: { handler: 'passkey.setup' },
  twoFactorPasskeyActivate: { handler: 'passkey.activate' },
  twoFactorPasskeyLoginOptions: { handler: 'passkey.loginOptions', isPublic: true },
  twoFactorPasskeyLoginVerify: { handler: 'passkey.loginVerify', isPublic: true },
  twoFactorRemoveFactor: {
    handler: 'factor.remove',
    body: ({ method, code, response }) => withoutNulls({ method, code, response }),
    params: ({ factorId }) => ({ id: factorId }),
  },
  twoFactorRenameFactor: {
    handler: 'factor.rename',
    body: ({ label }) => withoutNulls({ label }),
    params: ({ factorId }) => ({ id: factorId }),
  },
  twoFactorRegenerateRecoveryCodes: { handler: 'factor.regenerateRecoveryCodes' },
  twoFactorRevokeTrustedDevice: {
    handler: 'factor.revokeTrustedDevice',
    body: () => ({}),
    params: ({ trustedDeviceId }) => ({ id: trustedDeviceId }),
  },
  twoFactorStepUpSend: { handler: 'factor.sendStepUpCode' },
  twoFactorStepUpVerify: { handler: 'factor.verifyStepUp' },
};

const queries: Record<string, Operation> = {
  twoFactorMe: { handler: 'me.find' },
};

/** A step-1 answer as a member of `TwoFactorLoginResult`, named by `__typename`. */
function loginResult(body: Record<string, unknown>): Record<string, unknown> {
  if (body.enrollment !== undefined) return { __typename: 'TwoFactorEnrollment', ...(body.enrollment as object) };
  if (body.challenge !== undefined) return { __typename: 'TwoFactorChallenge', ...(body.challenge as object) };
  // A trusted device skipped the code: its rotated token must reach the client, or the next
  // sign-in from this device needs a code again.
  if (body.trustedDevice !== undefined) return { __typename: 'TwoFactorSession', ...body };
  return { __typename: 'UsersPermissionsLoginPayload', ...body };
}

/**
 * GraphQL flows for apps on `@strapi/plugin-graphql` (DESIGN.md "GraphQL"): every resolver
 * runs the REST controller action on the GraphQL request (`runRestAction`) behind the same
 * per-IP limit, so rules, limits, audit events and error codes are REST's. Strapi's own
 * `login`/`register` keep their types and keep failing closed for two-step users.
 */
export function registerGraphqlFlows(strapi: Core.Strapi): void {
  if (strapi.plugin('graphql') === undefined) return;
  (strapi.get('auth') as AuthRegistry).register('content-api', createGraphqlEnrolmentStrategy(strapi));

  const resolverFor =
    (operation: Operation): Resolver =>
    async (_parent, args, { koaContext }) => {
      const input = withoutNulls(args.input);
      const body = await runRestAction(
        strapi,
        koaContext,
        {
          body: operation.body === undefined ? input : operation.body(input),
          params: operation.params?.(input),
          middleware: REQUEST_LIMIT,
        },
        (ctx) => controllerAction(strapi, PLUGIN_ID, operation.handler)(ctx),
      );
      return operation.result === undefined ? body : operation.result(body as Record<string, unknown>);
    };

  const twoFactorLogin: Resolver = async (_parent, args, { koaContext }) => {
    const { identifier, password, deviceId } = withoutNulls(args.input);
    // Strapi's GraphQL login goes through users-permissions' limiter keyed on the REST path;
    // so does this one, then the gated callback, which may answer with a challenge here (the
    // request is marked only while this action runs, never while Strapi's own `login` does).
    const body = await runRestAction(
      strapi,
      koaContext,
      {
        body: withoutNulls({ identifier, password, deviceId }),
        params: { provider: 'local' },
        path: `${strapi.config.get<string>('api.rest.prefix', '/api')}/auth/local`,
        middleware: 'plugin::users-permissions.rateLimit',
      },
      async (ctx) => {
        markChallengeCapable(ctx);
        try {
          return await controllerAction(strapi, 'users-permissions', 'auth.callback')(ctx);
        } finally {
          unmarkChallengeCapable(ctx);
        }
      },
    );
    return loginResult(body as Record<string, unknown>);
  };

  const build = (operations: Record<string, Operation>): Record<string, Resolver> =>
    Object.fromEntries(Object.entries(operations).map(([name, operation]) => [name, resolverFor(operation)]));

  const authConfig = (operation: Operation): unknown =>
    operation.isPublic === true ? false : { scope: [`plugin::${PLUGIN_ID}.${operation.handler}`] };

  const extension = strapi.plugin('graphql').service('extension') as unknown as GraphqlExtensionService;
  extension.use(() => ({
    typeDefs: TWO_FACTOR_TYPE_DEFS,
    resolvers: {
      Query: build(queries),
      Mutation: { ...build(mutations), twoFactorLogin },
      TwoFactorLoginResult: {
        __resolveType: (result: { __typename: string }) => result.__typename,
      },
    },
    resolversConfig: {
      'Mutation.twoFactorLogin': { auth: false },
      ...Object.fromEntries(
        Object.entries(mutations).map(([name, operation]) => [`Mutation.${name}`, { auth: authConfig(operation) }]),
      ),
      ...Object.fromEntries(
        Object.entries(queries).map(([name, operation]) => [`Query.${name}`, { auth: authConfig(operation) }]),
      ),
    },
  }));
}
