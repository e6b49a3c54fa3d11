import { type SecondFactorMethod, TwoFactorApiError, type TwoFactorClient } from '@strapi-two-factor/client';
import type { Account } from './account';
import type { ConfirmPanel } from './confirmPanel';
import { byId, onClick } from './dom';
import { errorMessage } from './errorMessage';
import type { StatusRegions } from './statusRegion';

/** The example app's own route under `plugin::two-factor.assurance` `{ aal: 2, maxAgeSeconds: 900 }`. */
const SECURE_PING = '/api/example/secure-ping';

interface SecurePing {
  ok: boolean;
  aal: number;
  amr: string[];
}

/**
 * The methods a step-up can use here: the confirm panel's (passkey, app code, SMS, recovery code).
 * An emailed code would not reach AAL2 (NIST does not count email), so it is not offered.
 */
const STEP_UP_METHODS: readonly SecondFactorMethod[] = ['passkey', 'totp', 'sms', 'recovery_code'];

/** Strapi's error body as the client's error, so `withSession` refreshes on a 401 as for any call. */
async function securePing(jwt: string | null): Promise<SecurePing> {
  const response = await fetch(SECURE_PING, { headers: jwt === null ? {} : { Authorization: `Bearer ${jwt}` } });
  const body = (await response.json().catch(() => ({}))) as {
    error?: { message?: string; details?: Record<string, unknown> };
  };
  if (!response.ok) {
    const details = body.error?.details ?? {};
    throw new TwoFactorApiError({
      status: response.status,
      message: body.error?.message ?? `GET ${SECURE_PING} answered ${response.status}`,
      code: typeof details.code === 'string' ? details.code : undefined,
      details,
    });
  }
  return body as SecurePing;
}

/**
 * "Sensitive action": a call to an app route that wants a strong, recent sign-in. When the
 * session is weaker (`403 STEP_UP_REQUIRED`), a fresh code from one of `details.methods`
 * raises it (`client.stepUp`) and the call is made again, without signing in again.
 */
export function setUpSensitiveAction(
  client: TwoFactorClient,
  status: StatusRegions,
  account: Account,
  confirm: ConfirmPanel,
): void {
  const run = byId('sensitive-run', HTMLButtonElement);
  const result = byId('sensitive-result', HTMLPreElement);
  const title = byId('sensitive-title', HTMLHeadingElement);

  function show(answer: SecurePing): void {
    result.textContent = JSON.stringify({ ok: answer.ok, aal: answer.aal, amr: answer.amr });
    result.hidden = false;
    status.sensitiveAction.say(`Done: the server accepted this session (AAL${answer.aal}).`, 'success');
  }

  function askForStepUp(details: Record<string, unknown>): void {
    const offered = Array.isArray(details.methods) ? details.methods : [];
    const methods = STEP_UP_METHODS.filter((method) => offered.includes(method));
    if (methods.length === 0) {
      status.sensitiveAction.say(
        'This action needs a second step, and your account has none yet: add a phone or an authenticator app first.',
        'error',
      );
      return;
    }
    status.sensitiveAction.say('This action needs a recent second step: confirm it’s you below.');
    confirm.open({
      explanation:
        'This action needs a second step proven in the last 15 minutes. Confirm it’s you with a passkey or a fresh code.',
      submitLabel: 'Confirm and run',
      methods,
      action: async (reauth) => {
        // The session itself is raised: the jwt the client now holds, and every refresh after it.
        await account.withSession(() => client.stepUp(reauth));
        show(await account.withSession(() => securePing(client.getAccessToken())));
        title.focus();
      },
    });
  }

  onClick(
    run,
    async () => {
      result.hidden = true;
      try {
        show(await account.withSession(() => securePing(client.getAccessToken())));
      } catch (error) {
        if (error instanceof TwoFactorApiError && error.code === 'STEP_UP_REQUIRED') askForStepUp(error.details);
        else throw error;
      }
    },
    (error) => status.sensitiveAction.say(errorMessage(error), 'error'),
  );

  account.onChange((current) => {
    if (current !== undefined) return;
    result.textContent = '';
    result.hidden = true;
  });
}
