import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one bcrypt comparison when there is no user to compare against:
 * users-permissions answers unknown identifiers before bcrypt, which tells an attacker which
 * accounts exist. Same cost as users-permissions' default (10 rounds).
 */
export async function equalizePasswordTiming(password: unknown): Promise<void> {
  dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), 10);
  await bcrypt.compare(typeof password === 'string' ? password : '', await dummyHash);
}
