import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginChallenge, startLogin, userWithSmsFactor, wrongCode } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

/**
 * The SQL statements one request sends (knex `query` events, `BEGIN`/`COMMIT` included), as
 * `bench/src/profile.ts` counts them: a ceiling per request kind so the second step stays
 * cheap (issue 16; bench/README.md, "Where a verify's statements go"). `SQL_STATEMENTS=1`
 * prints each request's statements.
 */
async function statementsOf(app: ExampleApp, label: string, run: () => Promise<unknown>): Promise<string[]> {
  const connection = app.strapi.db.connection as unknown as {
    on(event: 'query', listener: (query: { sql: string }) => void): void;
    off(event: 'query', listener: (query: { sql: string }) => void): void;
  };
  const statements: string[] = [];
  const onQuery = (query: { sql: string }): void => {
    statements.push(query.sql);
  };
  connection.on('query', onQuery);
  try {
    await run();
  } finally {
    connection.off('query', onQuery);
  }
  if (process.env.SQL_STATEMENTS === '1') {
    process.stdout.write(`\n${databaseUnderTest()} ${label}: ${statements.length} statements\n`);
    for (const sql of statements) process.stdout.write(`  ${sql.slice(0, 200)}\n`);
  }
  return statements;
}

describe(`SQL statements per request on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  // MariaDB/MySQL have no UPDATE … RETURNING: a code's attempt is taken by id once the
  // challenge is read (one statement more), and a wrong code reads its two counts back.
  const returnsRows = databaseUnderTest() !== 'mysql';
  const readsBack = returnsRows ? 0 : 2;
  const readsChallenge = returnsRows ? 0 : 1;
  const challengeReads = (statements: string[]): string[] =>
    statements.filter((sql) => /^select .* from \S*two_factor_challenges/i.test(sql));

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should keep step 1, a wrong code and a right code within their statement budgets', async () => {
    const user = await userWithSmsFactor(app);
    // The account's row is made by its first second step; the budgets are for every later one.
    const first = await loginChallenge(app, user);
    expect((await app.http.post(VERIFY, { token: first.token, method: 'sms', code: first.code })).status).toBe(200);

    const step1 = await statementsOf(app, 'step 1', async () => expect((await startLogin(app, user)).status).toBe(200));
    expect(step1.length).toBeLessThanOrEqual(10);

    const { token, code } = await loginChallenge(app, user);
    const wrong = await statementsOf(app, 'wrong code', async () =>
      expect((await app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(code) })).status).toBe(400),
    );
    // The challenge's attempt taken and its row read in one UPDATE … RETURNING, the account's
    // UPDATE, the event. SQLite groups them in one transaction (one commit, one fsync: BEGIN
    // and COMMIT are two statements more); PostgreSQL and MySQL send each alone.
    expect(wrong.length).toBeLessThanOrEqual((databaseUnderTest() === 'sqlite' ? 5 : 3) + readsChallenge + readsBack);
    // MySQL: the row, then its attempts read back.
    expect(challengeReads(wrong)).toHaveLength(returnsRows ? 0 : 2);
    if (databaseUnderTest() !== 'sqlite') expect(wrong.filter((sql) => /^(BEGIN|COMMIT)/i.test(sql))).toEqual([]);

    const right = await statementsOf(app, 'right code', async () =>
      expect((await app.http.post(VERIFY, { token, method: 'sms', code })).status).toBe(200),
    );
    // The challenge's attempt and single use (its row read back), then one transaction: the
    // account, the factor's last use, the user, the event and Strapi's own session (its insert
    // and two reads), one COMMIT where Strapi alone would add a second.
    expect(right.length).toBeLessThanOrEqual(10 + readsChallenge);
    expect(challengeReads(right)).toHaveLength(readsChallenge);
    expect(right.filter((sql) => /^COMMIT/i.test(sql))).toHaveLength(1);
  });
});
