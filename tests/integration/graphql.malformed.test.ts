import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../support/graphql';
import { signUp } from '../support/twoFactor';

/** A small seeded generator (mulberry32): the same 200 operations on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  document: string;
  variables?: Record<string, unknown>;
}

const MUTATIONS: Record<string, string[]> = {
  twoFactorLogin: ['identifier', 'password', 'deviceId'],
  twoFactorVerify: ['token', 'method', 'code', 'trustDevice', 'deviceId'],
  twoFactorSendCode: ['token', 'method'],
  twoFactorPhoneRegister: ['username', 'phone', 'email', 'password'],
  twoFactorPhoneVerify: ['phone', 'code'],
  twoFactorPhoneResend: ['phone'],
  twoFactorPhoneLogin: ['phone'],
  twoFactorSmsSetup: ['phone', 'method', 'code'],
  twoFactorSmsActivate: ['factorId', 'code'],
  twoFactorTotpActivate: ['factorId', 'code'],
  twoFactorRemoveFactor: ['factorId', 'method', 'code'],
  twoFactorRegenerateRecoveryCodes: ['method', 'code'],
  twoFactorRevokeTrustedDevice: ['trustedDeviceId'],
  twoFactorStepUpVerify: ['method', 'code'],
};

/** Values a client should never send: wrong types, huge, odd characters, injection-shaped. */
const ODD_VALUES: unknown[] = [
  123,
  -1,
  1.5,
  true,
  null,
  [],
  ['sms'],
  {},
  { $ne: null },
  '',
  ' ',
  'x'.repeat(100_000),
  '9'.repeat(5000),
  '\u0000',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '💥'.repeat(1000),
  '+1'.padEnd(200, '5'),
  'sms\nrecovery_code',
  '__proto__',
  'constructor',
];

function buildCases(): Case[] {
  const random = seeded(14);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const names = Object.keys(MUTATIONS);
  const cases: Case[] = [];
  // Wrong types and odd values through variables (typed as JSON, so coercion is GraphQL's).
  for (let i = 0; i < 90; i += 1) {
    const name = pick(names);
    const fields = MUTATIONS[name] ?? [];
    const input: Record<string, unknown> = {};
    for (const field of fields) if (random() < 0.8) input[field] = pick(ODD_VALUES);
    if (random() < 0.3) input[`extra${i}`] = pick(ODD_VALUES);
    cases.push({
      document: `mutation M($input: ${inputTypeOf(name)}) { ${name}(input: $input) { __typename } }`,
      variables: { input: random() < 0.1 ? pick(ODD_VALUES) : input },
    });
  }
  // Odd values written into the document itself (literals), fields missing or unknown.
  for (let i = 0; i < 50; i += 1) {
    const name = pick(names);
    const fields = (MUTATIONS[name] ?? []).filter(() => random() < 0.6);
    const literal = fields.map((field) => `${field}: ${JSON.stringify(pick(ODD_VALUES))}`).join(', ');
    cases.push({ document: `mutation { ${name}(input: { ${literal} }) { __typename } }` });
  }
  // Deep nesting: selections past the depth limit, nested lists, nested input objects.
  for (let depth = 5; depth <= 100; depth += 5) {
    const selection = `${'fields { type { '.repeat(depth)}name${' } }'.repeat(depth)}`;
    cases.push({ document: `query { __schema { types { ${selection} } } }` });
  }
  for (let depth = 10; depth <= 100; depth += 10) {
    cases.push({
      document: `mutation { twoFactorSendCode(input: { token: ${'['.repeat(depth)}"t"${']'.repeat(depth)}, method: "sms" }) { sentTo } }`,
    });
    cases.push({
      document: `mutation { twoFactorPhoneLogin(input: { phone: "1", x: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)} }) { token } }`,
    });
  }
  // Broken documents and operations that do not exist. A subscription was a 500 in Strapi's
  // GraphQL stack; the example app refuses it (apps/example/src/graphql). So was a fragment
  // that spreads itself (graphql-depth-limit overflowed its stack; more below, and
  // docs/notes.md).
  const broken = [
    'fragment F on Query { ...F } query { ...F }',
    'mutation { twoFactorVerify(input: { token: "a" }',
    'mutation { twoFactorVerify }',
    'mutation { twoFactorVerify(input: null) { jwt } }',
    'mutation { twoFactorLogin(input: { identifier: "a", password: "b" }) }',
    'mutation { twoFactorLogin(input: { identifier: "a", password: "b" }) { jwt } }',
    'query { twoFactorMe { secret } }',
    'subscription { twoFactorMe { enabled } }',
    'mutation { twoFactorPasskeyLoginVerify(input: {}) { jwt } }',
    '{ __typename',
    'query { twoFactorMe { enabled } } query { twoFactorMe { enabled } }',
    'mutation D { twoFactorPhoneLogin(input: { phone: "1" }) { token } } mutation D { twoFactorMe }',
    `query { ${Array.from({ length: 300 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    `mutation { ${Array.from({ length: 50 }, (_, i) => `a${i}: twoFactorPhoneResend(input: { phone: "x" }) { verification { sentTo } }`).join(' ')} }`,
    'mutation { twoFactorVerify(input: { token: "a", method: "sms", code: "1", trustDevice: "yes" }) { jwt } }',
    'mutation { twoFactorSmsActivate(input: { factorId: 1.5, code: "1" }) { factor { id } } }',
    'mutation { twoFactorRevokeTrustedDevice(input: { trustedDeviceId: "-1" }) { enabled } }',
    'mutation { twoFactorRemoveFactor(input: { factorId: "abc", method: "totp", code: "123456" }) { enabled } }',
    '\u0000',
    '',
  ];
  for (const document of broken) cases.push({ document });
  while (cases.length < 200) {
    cases.push({
      document: `mutation { twoFactorVerify(input: { token: ${JSON.stringify(pick(ODD_VALUES))}, method: "sms", code: "123456" }) { jwt } }`,
    });
  }
  return cases.slice(0, 200);
}

function inputTypeOf(mutation: string): string {
  const types: Record<string, string> = {
    twoFactorLogin: 'TwoFactorLoginInput!',
    twoFactorVerify: 'TwoFactorVerifyInput!',
    twoFactorSendCode: 'TwoFactorSendCodeInput!',
    twoFactorPhoneRegister: 'TwoFactorPhoneRegisterInput!',
    twoFactorPhoneVerify: 'TwoFactorPhoneVerifyInput!',
    twoFactorPhoneResend: 'TwoFactorPhoneInput!',
    twoFactorPhoneLogin: 'TwoFactorPhoneInput!',
    twoFactorSmsSetup: 'TwoFactorSmsSetupInput!',
    twoFactorSmsActivate: 'TwoFactorActivateInput!',
    twoFactorTotpActivate: 'TwoFactorActivateInput!',
    twoFactorRemoveFactor: 'TwoFactorRemoveFactorInput!',
    twoFactorRegenerateRecoveryCodes: 'TwoFactorRegenerateRecoveryCodesInput!',
    twoFactorRevokeTrustedDevice: 'TwoFactorRevokeTrustedDeviceInput!',
    twoFactorStepUpVerify: 'TwoFactorStepUpVerifyInput!',
  };
  return types[mutation] ?? 'String';
}

/** Fragments that spread each other in a cycle, with no field in between: `F0 → F1 → … → F0`. */
function fragmentCycle(length: number, prefix = 'F'): string {
  return Array.from({ length }, (_, i) => `fragment ${prefix}${i} on Query { ...${prefix}${(i + 1) % length} }`).join(
    ' ',
  );
}

/**
 * Documents that made graphql-depth-limit (Strapi's `depthLimit` rule) recurse until the stack
 * overflowed, or throw on a missing fragment: a 500 before any resolver ran. GraphQL's own
 * rules refuse each with a 400 once Apollo's `maxRecursiveSelections` is set.
 */
const FRAGMENT_DOCUMENTS: { name: string; document: string; message: RegExp }[] = [
  {
    name: 'a fragment spreading itself',
    document: 'fragment F on Query { ...F } query { ...F }',
    message: /within itself/,
  },
  { name: 'a mutual cycle A → B → A', document: `${fragmentCycle(2)} query { ...F0 }`, message: /within itself/ },
  { name: 'a cycle through 50 fragments', document: `${fragmentCycle(50)} query { ...F0 }`, message: /within itself/ },
  {
    name: 'a cycle next to a field',
    document: 'fragment F on Query { __typename ...F } query { twoFactorMe { enabled } ...F }',
    message: /within itself/,
  },
  {
    name: 'a cycle inside an inline fragment',
    document: 'fragment F on Query { ... on Query { ...F } } query { ...F }',
    message: /within itself/,
  },
  {
    name: 'a cycle in a mutation',
    document: 'fragment M on Mutation { ...M } mutation { ...M }',
    message: /within itself/,
  },
  {
    name: 'a cycle of 3 reached from a named query',
    document: `${fragmentCycle(3, 'G')} query Named { ...G1 }`,
    message: /within itself/,
  },
  { name: 'a spread of an unknown fragment', document: 'query { ...Missing }', message: /Unknown fragment/ },
];

describe(`GraphQL malformed operations on ${databaseUnderTest()} (NODE_ENV=production)`, () => {
  let app: ExampleApp;
  let jwt: string;

  beforeAll(async () => {
    // Production needs the passkey origins (the plugin refuses to start without them).
    app = await startExampleApp({
      env: { NODE_ENV: 'production', TWO_FACTOR_PASSKEY_ORIGINS: 'https://app.example.test' },
    });
    jwt = (await signUp(app)).jwt;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should build 200 distinct malformed operations', () => {
    const cases = buildCases();
    expect(cases).toHaveLength(200);
    expect(new Set(cases.map((c) => JSON.stringify(c))).size).toBeGreaterThan(190);
  });

  it('should answer each with a client error: no INTERNAL_SERVER_ERROR, no 5xx, no stack trace', async () => {
    const failures: string[] = [];
    for (const [index, { document, variables }] of buildCases().entries()) {
      // Half signed in, so the self-service resolvers run their own validation too.
      const answer = await graphql(app, document, variables, index % 2 === 0 ? { bearer: jwt } : {});
      const text = JSON.stringify(answer.errors);
      const problems = [
        answer.status >= 500 && `status ${answer.status}`,
        answer.errors.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR') && 'INTERNAL_SERVER_ERROR',
        answer.errors.some((error) => error.extensions?.stacktrace !== undefined) && 'stacktrace',
        /\n\s+at |node_modules|\.js:\d+/.test(text) && 'stack in message',
      ].filter(Boolean);
      if (problems.length > 0)
        failures.push(`#${index} ${problems.join(', ')}: ${document.slice(0, 120)} ${text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });

  for (const { name, document, message } of FRAGMENT_DOCUMENTS) {
    it(`should refuse ${name} with a 400 from GraphQL's own validation`, async () => {
      const answer = await graphql(app, document, {}, { bearer: jwt });
      expect(answer.status, JSON.stringify(answer.errors)).toBe(400);
      expect(answer.errors[0]?.message).toMatch(message);
      expect(answer.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  }

  it('should keep the depth limit: a query nested past depthLimit (10) is refused with a 400', async () => {
    // `usersPermissionsUsers { role { users { role { … id } } } }`: `levels` fields deep (the
    // depth rule counts from 0 and skips introspection fields).
    const chain = (levels: number): string => {
      const names = Array.from({ length: levels - 2 }, (_, i) => (i % 2 === 0 ? 'role' : 'users'));
      return `usersPermissionsUsers { ${names.map((name) => `${name} { `).join('')}documentId${' }'.repeat(levels - 1)}`;
    };
    const atLimit = await graphql(app, `query { ${chain(11)} }`, {}, { bearer: jwt });
    expect(atLimit.status, JSON.stringify(atLimit.errors)).not.toBe(400);
    expect(JSON.stringify(atLimit.errors)).not.toMatch(/maximum operation depth/);
    for (const document of [
      `query { ${chain(12)} }`,
      // Through fragments too: the rule follows spreads.
      `fragment Deep on Query { ${chain(12)} } query Q { ...Deep }`,
    ]) {
      const tooDeep = await graphql(app, document, {}, { bearer: jwt });
      expect(tooDeep.status, JSON.stringify(tooDeep.errors)).toBe(400);
      expect(tooDeep.errors[0]?.message).toMatch(/exceeds maximum operation depth of 10/);
    }
  });
});
