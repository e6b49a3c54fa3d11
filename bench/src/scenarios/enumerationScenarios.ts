import { randomBytes } from 'node:crypto';
import { SmtpInbox } from '@strapi-two-factor/test-utils';
import { type BenchApp, drainSms, startBenchApp } from '../benchApp';
import { benchPhone, enrolSmsUsers, mapWithConcurrency, registerUser, type SmsUser } from '../benchUsers';
import type { RequestSpec } from '../load/protocol';
import { measureInterleaved } from '../measure';
import { profileRequests } from '../profile';
import { SIZES } from './requests';
import type { ScenarioContext } from './scenarioContext';

/** Bench numbers by use, so no two kinds share one (`enrolSmsUsers` takes 0–19). */
const PENDING_SIGN_UP_FROM = 100;
const UNKNOWN_RESEND_FROM = 200;
const UNKNOWN_SIGN_IN_FROM = 300;
const PROFILE_FROM = 500;

const post = (path: string, body: unknown): RequestSpec => ({ method: 'POST', path, body: JSON.stringify(body) });

/** Phone sign-ups left pending (registered, never verified): the numbers `phone/resend` knows. */
async function pendingSignUps(bench: BenchApp, from: number, count: number): Promise<string[]> {
  return mapWithConcurrency(count, 4, async (index) => {
    const phone = benchPhone(from + index);
    const username = `pending_${randomBytes(4).toString('hex')}`;
    const response = await bench.post('/api/two-factor/phone/register', { username, phone });
    if (response.status !== 200) {
      throw new Error(`phone/register for ${phone} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return phone;
  });
}

/**
 * `forgot-password` with the plugin off: Strapi's own answer, for context (it writes a reset
 * token and mails it before answering a known address, and answers an unknown one at once).
 */
async function runPlainForgotPassword(context: ScenarioContext, smtpEnv: Record<string, string>): Promise<void> {
  const bench = await startBenchApp(context.database, 'plugin-off', context.twilioUrl, smtpEnv);
  try {
    const user = await registerUser(bench, 'forgot');
    context.measurements.push(
      ...(await measureInterleaved(
        { database: context.database, bench, load: context.load },
        {
          route: 'POST /api/auth/forgot-password (→ 200 {ok: true})',
          warmupRounds: SIZES.enumerationWarmupRounds,
          rounds: SIZES.enumerationRounds,
          expectedStatus: 200,
          kinds: [
            {
              id: 'enumeration.forgot-unknown.plugin-off',
              scenario: 'Forgot password, unknown email, plugin off',
              request: (index) => post('/api/auth/forgot-password', { email: `nobody-${index}@example.test` }),
            },
            {
              id: 'enumeration.forgot-known.plugin-off',
              scenario: 'Forgot password, known email, plugin off',
              request: () => post('/api/auth/forgot-password', { email: user.email }),
            },
          ],
        },
      )),
    );
    const times = <T>(request: T): T[] => Array.from({ length: SIZES.profileSamples }, () => request);
    const profile = context.profile.requests;
    profile['forgot-password, known email, plugin off'] = await profileRequests(
      bench,
      200,
      times(() => bench.post('/api/auth/forgot-password', { email: user.email })),
    );
    profile['forgot-password, unknown email, plugin off'] = await profileRequests(
      bench,
      200,
      times(() => bench.post('/api/auth/forgot-password', { email: 'nobody@example.test' })),
    );
  } finally {
    await bench.stop();
  }
}

/**
 * The unauthenticated routes whose answer must not tell who exists, beside `/api/auth/local`
 * (timed in the sign-in part): `phone/login`, `phone/resend` and `forgot-password`, each as
 * known against unknown, one request at a time, the kinds taking turns.
 *
 * SMS budget of the plugin app: 20 enrolments, 65 phone sign-ins (≤ 4 per number), 70 pending
 * sign-ups and 65 resends to them (2 per number), 10 for the profile: 230 of 1000 per hour.
 */
export async function runEnumerationScenarios(context: ScenarioContext): Promise<void> {
  const smtp = new SmtpInbox();
  const smtpEnv = await smtp.env();
  try {
    await runPlainForgotPassword(context, smtpEnv);
    const bench = await startBenchApp(context.database, 'plugin-on', context.twilioUrl, smtpEnv);
    const measureContext = { database: context.database, bench, load: context.load };
    try {
      const rounds = SIZES.enumerationWarmupRounds + SIZES.enumerationRounds;
      const signInUsers = await enrolSmsUsers(bench, 20);
      const signInUser = (index: number): SmsUser => signInUsers[index % signInUsers.length] as SmsUser;
      const pending = await pendingSignUps(bench, PENDING_SIGN_UP_FROM, rounds);
      const forgetful = await registerUser(bench, 'forgot');
      await drainSms(bench);

      const timed = async (route: string, kinds: Parameters<typeof measureInterleaved>[1]['kinds']) => {
        context.measurements.push(
          ...(await measureInterleaved(measureContext, {
            route,
            warmupRounds: SIZES.enumerationWarmupRounds,
            rounds: SIZES.enumerationRounds,
            expectedStatus: 200,
            kinds,
          })),
        );
        await drainSms(bench);
      };
      await timed('POST /api/two-factor/phone/login (→ 200 challenge)', [
        {
          id: 'enumeration.phone-login-unknown.plugin-on',
          scenario: 'Phone sign-in, unknown number',
          request: (index) => post('/api/two-factor/phone/login', { phone: benchPhone(UNKNOWN_SIGN_IN_FROM + index) }),
        },
        {
          id: 'enumeration.phone-login-known.plugin-on',
          scenario: 'Phone sign-in, known number (SMS sent)',
          request: (index) => post('/api/two-factor/phone/login', { phone: signInUser(index).phone }),
        },
      ]);
      await timed('POST /api/two-factor/phone/resend (→ 200 verification)', [
        {
          id: 'enumeration.phone-resend-unknown.plugin-on',
          scenario: 'Phone sign-up resend, unknown number',
          request: (index) => post('/api/two-factor/phone/resend', { phone: benchPhone(UNKNOWN_RESEND_FROM + index) }),
        },
        {
          id: 'enumeration.phone-resend-known.plugin-on',
          scenario: 'Phone sign-up resend, pending sign-up (SMS sent)',
          request: (index) => post('/api/two-factor/phone/resend', { phone: pending[index] }),
        },
      ]);
      await timed('POST /api/auth/forgot-password (→ 200 {ok: true})', [
        {
          id: 'enumeration.forgot-unknown.plugin-on',
          scenario: 'Forgot password, unknown email, plugin on',
          request: (index) => post('/api/auth/forgot-password', { email: `nobody-${index}@example.test` }),
        },
        {
          id: 'enumeration.forgot-known.plugin-on',
          scenario: 'Forgot password, known email, plugin on',
          request: () => post('/api/auth/forgot-password', { email: forgetful.email }),
        },
      ]);

      const profile = context.profile.requests;
      const times = <T>(request: T): T[] => Array.from({ length: SIZES.profileSamples }, () => request);
      const each = <T>(make: (index: number) => T): T[] =>
        Array.from({ length: SIZES.profileSamples }, (_, i) => make(i));
      const profiledUsers = signInUsers.slice(-SIZES.profileSamples);
      profile['phone/login, known number'] = await profileRequests(
        bench,
        200,
        profiledUsers.map((user) => () => bench.post('/api/two-factor/phone/login', { phone: user.phone })),
      );
      profile['phone/login, unknown number'] = await profileRequests(
        bench,
        200,
        each((i) => () => bench.post('/api/two-factor/phone/login', { phone: benchPhone(PROFILE_FROM + i) })),
      );
      const profiledPending = await pendingSignUps(bench, PROFILE_FROM + 50, SIZES.profileSamples);
      profile['phone/resend, pending sign-up'] = await profileRequests(
        bench,
        200,
        profiledPending.map((phone) => () => bench.post('/api/two-factor/phone/resend', { phone })),
      );
      profile['phone/resend, unknown number'] = await profileRequests(
        bench,
        200,
        each((i) => () => bench.post('/api/two-factor/phone/resend', { phone: benchPhone(PROFILE_FROM + 100 + i) })),
      );
      profile['forgot-password, known email, plugin on'] = await profileRequests(
        bench,
        200,
        times(() => bench.post('/api/auth/forgot-password', { email: forgetful.email })),
      );
      profile['forgot-password, unknown email, plugin on'] = await profileRequests(
        bench,
        200,
        times(() => bench.post('/api/auth/forgot-password', { email: 'nobody@example.test' })),
      );
    } finally {
      await bench.stop();
    }
  } finally {
    await smtp.close();
  }
}
