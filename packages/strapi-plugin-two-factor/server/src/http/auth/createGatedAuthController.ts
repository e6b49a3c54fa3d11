import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { sessionAssurance, sessionIdOf, withAssuranceClaims } from '../../core/assurance/accessTokenClaims';
import { issueStrapiTokens } from '../../core/assurance/issueStrapiTokens';
import { TRUSTED_DEVICE_HEADER } from '../../flows/sign-in/loginFlowService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { createUserStore, type StrapiUserRow } from '../../platform/stores/userStore';
import { ANSWER_FLOOR_MILLISECONDS, answerNoSoonerThan } from '../answerNoSoonerThan';
import { getService } from '../getService';
import { handleRequest, withRetryAfter } from '../handleRequest';
import { isChallengeCapable } from './challengeCapableRequests';
import { type AdvancedSettings, createUserLikeRegister } from './createUserLikeRegister';
import { equalizePasswordTiming } from './equalizePasswordTiming';
import { validateForgotPasswordBody } from './validateForgotPasswordBody';
import { validateResetPasswordBody } from './validateResetPasswordBody';

type AuthAction = (ctx: Context, next?: Next, returnUser?: boolean) => Promise<unknown>;

export interface AuthController {
  callback: AuthAction;
  refresh: AuthAction;
  register: AuthAction;
  resetPassword: AuthAction;
  forgotPassword: AuthAction;
  emailConfirmation: AuthAction;
  [action: string]: AuthAction;
}

interface RouteState {
  route?: { info?: { pluginName?: string } };
}

/**
 * True for users-permissions' own REST routes. GraphQL's `login`, `resetPassword` and
 * `emailConfirmation` mutations call the same controller with the `/graphql` context; they
 * cannot carry a challenge, so for two-step users they fail closed.
 */
function isUsersPermissionsRoute(ctx: Context): boolean {
  return (ctx.state as RouteState).route?.info?.pluginName === 'users-permissions';
}

/**
 * users-permissions' `auth` controller with every path that hands out a token gated: a user
 * with two-step verification gets a challenge instead of tokens. Everyone else goes through
 * Strapi's own action untouched, so their answers stay Strapi's, byte for byte.
 */
export function createGatedAuthController(strapi: Core.Strapi, original: AuthController): AuthController {
  const users = createUserStore(strapi);
  /** Whether this user's sign-in needs the plugin: a challenge, or enrolment the policy requires. */
  const needsSecondStep = async (userId: number): Promise<boolean> =>
    (await getService(strapi, 'loginFlow').secondStepFor(userId)) !== 'none';
  const upStore = () => strapi.store({ type: 'plugin', name: 'users-permissions' });

  async function answerWithChallenge(ctx: Context, user: StrapiUserRow): Promise<void> {
    if (!isUsersPermissionsRoute(ctx) && !isChallengeCapable(ctx)) throw twoFactorError('TWO_FACTOR_REQUIRED');
    await handleRequest(ctx, async () => getService(strapi, 'loginFlow').start(user, ctx));
  }

  /** Strapi's answer to a wrong password (or an unknown identifier), whoever gave it. */
  const isWrongPassword = (error: unknown): boolean =>
    error instanceof errors.ValidationError && error.message === 'Invalid identifier or password';

  async function localCallback(ctx: Context, next?: Next): Promise<unknown> {
    const { identifier, password } = (ctx.request.body ?? {}) as { identifier?: unknown; password?: unknown };
    const limits = getService(strapi, 'rateLimits');
    await withRetryAfter(ctx, async () => {
      // Per IP and per account, shared through Redis when configured (users-permissions'
      // own limiter is in memory, per instance). The account's limit is keyed on account AND
      // client address, as users-permissions' own (`email:path:ip`): requests from other
      // addresses never make the owner's right password answer 429 (DESIGN.md, limits).
      await limits.consume('requests-ip', ctx.request.ip, 'TOO_MANY_REQUESTS');
      if (typeof identifier === 'string')
        await limits.consume('sign-in-account', `${identifier.toLowerCase()}:${ctx.request.ip}`, 'TOO_MANY_REQUESTS');
    });
    // Malformed bodies and a disabled provider get Strapi's own answers.
    if (typeof identifier !== 'string' || typeof password !== 'string' || identifier === '' || password === '') {
      return original.callback(ctx, next);
    }
    const user = await users.findLocalByIdentifier(identifier);

    // Guessing one account's password from many addresses stays bounded (NIST 800-63B
    // §5.2.2, ≤ 100 consecutive failures) by an account-wide count of wrong passwords, which
    // a client proving an earlier sign-in of the account (a trusted device) does not share.
    // Unknown identifiers are counted alike, so the refusal tells no account apart.
    const wrongPasswordKey = user === null ? `identifier:${identifier.toLowerCase()}` : `user:${user.id}`;
    const deviceToken = ctx.request.header[TRUSTED_DEVICE_HEADER];
    const isProvingClient =
      user !== null &&
      typeof deviceToken === 'string' &&
      (await getService(strapi, 'trustedDevices').isTrusted(user.id, deviceToken));
    /**
     * Runs the password check under the account-wide count: the point is taken before the
     * check, so parallel guesses cannot all pass a look at the count before any of them is
     * charged; only a wrong password keeps it, and a right one starts the count over.
     */
    const countingPasswords = async <Result>(check: () => Promise<Result>): Promise<Result> => {
      if (isProvingClient) return check();
      await withRetryAfter(ctx, () =>
        limits.consume('wrong-passwords-account', wrongPasswordKey, 'TOO_MANY_WRONG_PASSWORDS'),
      );
      let result: Result;
      try {
        result = await check();
      } catch (error) {
        // Anything but a wrong password (a blocked or unconfirmed account) was not a guess.
        if (!isWrongPassword(error)) await limits.refund('wrong-passwords-account', wrongPasswordKey);
        throw error;
      }
      // The count is of consecutive failures: the owner's right password starts it over.
      await limits.reset('wrong-passwords-account', wrongPasswordKey);
      return result;
    };

    if (user === null || typeof user.password !== 'string') {
      return countingPasswords(async () => {
        await equalizePasswordTiming(password);
        return original.callback(ctx, next);
      });
    }
    if (!(await needsSecondStep(user.id))) return countingPasswords(() => original.callback(ctx, next));

    // From here on, what Strapi's callback does up to issuing tokens (controllers/auth.js).
    const grant = (await upStore().get({ key: 'grant' })) as Record<string, { enabled?: boolean }> | null;
    if (grant?.email?.enabled !== true) throw new errors.ApplicationError('This provider is disabled');
    const hash = user.password;
    await countingPasswords(async () => {
      const validPassword = await strapi.plugin('users-permissions').service('user').validatePassword(password, hash);
      if (!validPassword) throw new errors.ValidationError('Invalid identifier or password');
    });
    const advanced = (await upStore().get({ key: 'advanced' })) as { email_confirmation?: boolean } | null;
    if (advanced?.email_confirmation === true && user.confirmed !== true) {
      throw new errors.ApplicationError('Your account email is not confirmed');
    }
    if (user.blocked === true) throw new errors.ApplicationError('Your account has been blocked by an administrator');
    await answerWithChallenge(ctx, user);
    return ctx.body;
  }

  async function providerCallback(ctx: Context, provider: string, next?: Next): Promise<unknown> {
    // The same request limits as the password sign-in: the provider's answer lives in
    // Strapi's cookie session (koa-session keeps it in the cookie itself), so the same cookie
    // can be sent again, and each time would open a challenge and send an SMS.
    const limits = getService(strapi, 'rateLimits');
    await withRetryAfter(ctx, () => limits.consume('requests-ip', ctx.request.ip, 'TOO_MANY_REQUESTS'));
    const grant = (await upStore().get({ key: 'grant' })) as Record<string, { enabled?: boolean }> | null;
    const grantResponse = (ctx as unknown as { session?: { grant?: { response?: unknown } } }).session?.grant?.response;
    if (grant?.[provider]?.enabled !== true || grantResponse === undefined) return original.callback(ctx, next);
    let user: StrapiUserRow;
    try {
      // What Strapi's callback does for a third-party provider, minus the token.
      user = (await strapi
        .plugin('users-permissions')
        .service('providers')
        .connect(provider, grantResponse, { grantResponse })) as StrapiUserRow;
    } catch (error) {
      throw new errors.ApplicationError((error as Error).message);
    }
    if (user.blocked === true) throw new errors.ApplicationError('Your account has been blocked by an administrator');
    const account = typeof user.email === 'string' && user.email !== '' ? user.email.toLowerCase() : `id:${user.id}`;
    await withRetryAfter(ctx, () => limits.consume('sign-in-account', account, 'TOO_MANY_REQUESTS'));
    if (await needsSecondStep(user.id)) {
      await answerWithChallenge(ctx, user);
      return ctx.body;
    }
    ctx.body = await issueStrapiTokens(strapi, ctx, user);
    return ctx.body;
  }

  // Strapi answers an unknown address at once, and a known one only once the reset token is
  // written and the mail handed to the mail server (a failing server even makes it a 500):
  // the time tells who has an account. Here the answer leaves first, the same for every
  // valid address, and Strapi's own action does its work after it, answering no one.
  async function forgotPasswordNow(ctx: Context): Promise<unknown> {
    await validateForgotPasswordBody(ctx.request.body);
    const behind = Object.create(ctx) as Context;
    behind.send = () => undefined;
    try {
      // The email queue: after the answer, and drained before the database closes at shutdown.
      getService(strapi, 'email').runLater(async () => {
        await original.forgotPassword(behind);
      }, 'password reset mail');
    } catch (error) {
      // Only while the app shuts down: the answer stays the same.
      strapi.log.error(`[two-factor] password reset mail not queued: ${(error as Error).name}`);
    }
    ctx.send({ ok: true });
    return ctx.body;
  }

  return {
    ...original,

    async callback(ctx, next) {
      const provider = (ctx.params as { provider?: string } | undefined)?.provider ?? 'local';
      return provider === 'local' ? localCallback(ctx, next) : providerCallback(ctx, provider, next);
    },

    // Strapi mints each refreshed access token from `{ userId, sessionId, type }` alone; a
    // session the plugin let through recorded its assurance in the session's metadata, which
    // rotation copies, so the new token gets the same claims. Other sessions: Strapi's answer.
    async refresh(ctx, next) {
      const result = await original.refresh(ctx, next);
      const body = ctx.body as { jwt?: unknown } | undefined;
      if (ctx.status !== 200 || typeof body?.jwt !== 'string') return result;
      const sessionId = sessionIdOf(body.jwt);
      const assurance = sessionId === undefined ? undefined : await sessionAssurance(strapi, sessionId);
      if (assurance === undefined) return result;
      ctx.body = { ...body, jwt: withAssuranceClaims(strapi, body.jwt, assurance) };
      return ctx.body;
    },

    // A new user of a role that requires two-step verification gets the enrolment-only
    // login, never a session: the user is created as Strapi's register would, then no token.
    async register(ctx, next) {
      const settings = (await upStore().get({ key: 'advanced' })) as AdvancedSettings | null;
      // Register disabled, or email confirmation on (Strapi then answers `{ user }` and sends
      // its mail, no token): Strapi's own answer. So too for roles that need no second step.
      if (
        settings?.allow_register !== true ||
        settings.email_confirmation === true ||
        !getService(strapi, 'enforcement').isRequiredForRole(settings.default_role ?? '')
      ) {
        return original.register(ctx, next);
      }
      // GraphQL's register must return a jwt; it cannot carry an enrolment: fail closed before
      // anything is created, so the refused request changes nothing.
      if (!isUsersPermissionsRoute(ctx)) throw twoFactorError('TWO_FACTOR_REQUIRED');
      const user = await createUserLikeRegister(strapi, ctx, settings);
      await answerWithChallenge(ctx, user);
      return ctx.body;
    },

    async forgotPassword(ctx) {
      // Answered first, alike for every valid address (forgotPasswordNow), and no sooner than
      // the floor: the work a known address queues runs in this process after the answer and
      // lands on whichever request comes then (answerNoSoonerThan.ts).
      return answerNoSoonerThan(ANSWER_FLOOR_MILLISECONDS, () => forgotPasswordNow(ctx));
    },

    // A reset proves control of the email, not of the second factor (DESIGN.md): the
    // password changes, every session ends, and signing in needs the second step.
    async resetPassword(ctx, next) {
      const code = (ctx.request.body as { code?: unknown } | undefined)?.code;
      const user = typeof code === 'string' && code !== '' ? await users.findByResetPasswordToken(code) : null;
      if (user === null || !(await needsSecondStep(user.id))) {
        // A reset ends trusted devices too (DESIGN.md); Strapi's reset is left as it is.
        if (user !== null) await getService(strapi, 'factors').revokeTrustedDevices(user.id);
        return original.resetPassword(ctx, next);
      }

      const { password } = await validateResetPasswordBody(strapi, ctx.request.body);
      // A refusal changes nothing: a locked account keeps its password and its reset token,
      // so the lock is checked before the first write (DESIGN.md, limits).
      await withRetryAfter(ctx, () => getService(strapi, 'accountState').assertNotLocked(user.id));
      await getService(strapi, 'factors').revokeTrustedDevices(user.id);
      await users.resetPassword(user.id, password);
      if (strapi.config.get('plugin::users-permissions.jwtManagement') === 'refresh') {
        await strapi.sessionManager('users-permissions').invalidateRefreshToken(String(user.id));
      }
      await answerWithChallenge(ctx, user);
      return ctx.body;
    },

    async emailConfirmation(ctx, next, returnUser) {
      if (returnUser === true) {
        const confirmation = (ctx.query as { confirmation?: unknown }).confirmation;
        const user =
          typeof confirmation === 'string' && confirmation !== ''
            ? await users.findByConfirmationToken(confirmation)
            : null;
        // Only GraphQL asks for the user (and a token) back: it cannot carry a challenge.
        if (user !== null && (await needsSecondStep(user.id))) throw twoFactorError('TWO_FACTOR_REQUIRED');
      }
      return original.emailConfirmation(ctx, next, returnUser);
    },
  };
}
