import { randomBytes } from 'node:crypto';
import type { BenchApp } from './benchApp';
import { drainSms } from './benchApp';

export interface BenchUser {
  id: number;
  username: string;
  email: string;
  password: string;
  jwt: string;
}

export interface SmsUser extends BenchUser {
  phone: string;
}

export interface OpenChallenge {
  user: SmsUser;
  token: string;
  code: string;
}

const AREA_CODES = ['202', '212', '312', '415', '617', '702', '206', '303'];

/** The `index`-th number of the fictional US 555-01xx range (800 of them), as the tests use. */
export function benchPhone(index: number): string {
  if (index < 0 || index >= AREA_CODES.length * 100) throw new Error(`No bench phone number ${index}`);
  const area = AREA_CODES[index % AREA_CODES.length] ?? '202';
  return `+1${area}55501${String(Math.floor(index / AREA_CODES.length)).padStart(2, '0')}`;
}

/** Runs `task` for 0…count-1 with at most `concurrency` at once; results in index order. */
export async function mapWithConcurrency<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, () => worker()));
  return results;
}

function expectStatus(what: string, response: { status: number; body: unknown }, status = 200): void {
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
  }
}

/** What preparing users needs of an app: requests through the emulated proxy and its SMS outbox. */
export type BenchClient = Pick<BenchApp, 'post' | 'inbox'>;

export async function registerUser(bench: BenchClient, prefix: string): Promise<BenchUser> {
  const suffix = randomBytes(4).toString('hex');
  const user = {
    username: `${prefix}_${suffix}`,
    email: `${prefix}.${suffix}@example.test`,
    password: `Pw-${randomBytes(9).toString('base64url')}`,
  };
  const response = await bench.post<{ jwt: string; user: { id: number } }>('/api/auth/local/register', user);
  expectStatus('register', response);
  return { ...user, id: response.body.user.id, jwt: response.body.jwt };
}

/**
 * `count` users with an active SMS factor on the first `count` bench numbers, enrolled through
 * the self-service routes. Each enrolment sends one SMS (charged to the plugin's budgets).
 */
export async function enrolSmsUsers(bench: BenchClient, count: number): Promise<SmsUser[]> {
  return mapWithConcurrency(count, 8, async (index) => {
    const user = await registerUser(bench, 'sms');
    const phone = benchPhone(index);
    const setup = await bench.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone }, user.jwt);
    expectStatus(`sms/setup for ${phone}`, setup);
    const code = await bench.inbox.lastCode(phone);
    const activate = await bench.post(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code },
      user.jwt,
    );
    expectStatus(`sms/activate for ${phone}`, activate);
    return { ...user, phone };
  });
}

function codeIn(body: string): string {
  const code = /\b(\d{6,8})\b/.exec(body)?.[1];
  if (code === undefined) throw new Error(`No code in SMS "${body}"`);
  return code;
}

/**
 * Opens `count` login challenges (step 1 with the right password) spread over `users`, one
 * round at a time so a number never has two SMS in flight, and reads each code at Twilio.
 * Each challenge costs one SMS of the plugin's budgets.
 */
export async function openChallenges(bench: BenchApp, users: SmsUser[], count: number): Promise<OpenChallenge[]> {
  const challenges: OpenChallenge[] = [];
  while (challenges.length < count) {
    const round = users.slice(0, count - challenges.length);
    const tokens = await mapWithConcurrency(round.length, 8, async (index) => {
      const user = round[index] as SmsUser;
      const response = await bench.post<{ challenge?: { token: string } }>('/api/auth/local', {
        identifier: user.username,
        password: user.password,
      });
      expectStatus(`step 1 for ${user.username}`, response);
      const token = response.body.challenge?.token;
      if (token === undefined) throw new Error(`Step 1 opened no challenge: ${JSON.stringify(response.body)}`);
      return token;
    });
    await drainSms(bench);
    const lastByPhone = new Map<string, string>();
    for (const message of await bench.inbox.messages()) lastByPhone.set(message.to, message.body);
    round.forEach((user, index) => {
      const body = lastByPhone.get(user.phone);
      if (body === undefined) throw new Error(`No SMS reached ${user.phone}`);
      challenges.push({ user, token: tokens[index] as string, code: codeIn(body) });
    });
  }
  return challenges;
}

/** A six-digit code that is not `code`. */
export function wrongCodeFor(code: string, attempt: number): string {
  for (let candidate = attempt; ; candidate += 1) {
    const wrong = String((Number(code) + 1 + candidate * 7919) % 1_000_000).padStart(6, '0');
    if (wrong !== code) return wrong;
  }
}
