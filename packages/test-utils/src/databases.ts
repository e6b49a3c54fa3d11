import { randomBytes } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

export type DatabaseKind = 'sqlite' | 'postgres' | 'mysql';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres', 'mysql'];

/** Where the servers are on these machines; each can be moved with the usual variables. */
export const DATABASE_SERVERS = {
  postgres: {
    host: process.env.TEST_POSTGRES_HOST ?? '127.0.0.1',
    port: Number(process.env.TEST_POSTGRES_PORT ?? 5432),
    user: process.env.TEST_POSTGRES_USER ?? 'postgres',
    password: process.env.TEST_POSTGRES_PASSWORD ?? '',
  },
  mysql: {
    host: process.env.TEST_MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.TEST_MYSQL_PORT ?? 3306),
    user: process.env.TEST_MYSQL_USER ?? 'root',
    password: process.env.TEST_MYSQL_PASSWORD ?? '',
  },
} as const;

export interface TestDatabase {
  kind: DatabaseKind;
  /** The name (server databases) or file path (SQLite). */
  name: string;
  /** Strapi's `DATABASE_*` variables that point the example app at it. */
  env: Record<string, string>;
  /** Whether the database (or SQLite file) is there, asked of the server itself. */
  exists(): Promise<boolean>;
  drop(): Promise<void>;
}

let databasesCreated = 0;

function uniqueName(): string {
  databasesCreated += 1;
  // pid + counter + a few random bytes: unique across parallel workers and reruns.
  return `two_factor_test_${process.pid}_${databasesCreated}_${randomBytes(3).toString('hex')}`;
}

export function isDatabaseKind(value: string): value is DatabaseKind {
  return (DATABASE_KINDS as readonly string[]).includes(value);
}

/** True when a TCP connection to the server opens within the timeout. */
export async function isDatabaseReachable(kind: DatabaseKind, timeoutMilliseconds = 1000): Promise<boolean> {
  if (kind === 'sqlite') return true;
  const { host, port } = DATABASE_SERVERS[kind];
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reachable: boolean): void => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMilliseconds, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A new, empty database of the given kind; `drop()` removes it. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const name = uniqueName();
  if (kind === 'sqlite') {
    const filename = path.join(tmpdir(), `${name}.db`);
    return {
      kind,
      name: filename,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      exists: () =>
        access(filename).then(
          () => true,
          () => false,
        ),
      drop: async () => {
        await Promise.all(
          ['', '-wal', '-shm', '-journal'].map((suffix) => rm(`${filename}${suffix}`, { force: true })),
        );
      },
    };
  }
  if (kind === 'postgres') {
    const server = DATABASE_SERVERS.postgres;
    const admin = new pg.Client({ ...server, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    return {
      kind,
      name,
      env: {
        DATABASE_CLIENT: 'postgres',
        DATABASE_HOST: server.host,
        DATABASE_PORT: String(server.port),
        DATABASE_NAME: name,
        DATABASE_USERNAME: server.user,
        DATABASE_PASSWORD: server.password,
        DATABASE_URL: '',
        DATABASE_SCHEMA: 'public',
      },
      exists: async () => {
        const client = new pg.Client({ ...server, database: 'postgres' });
        await client.connect();
        try {
          const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
          return result.rowCount === 1;
        } finally {
          await client.end();
        }
      },
      drop: async () => {
        const client = new pg.Client({ ...server, database: 'postgres' });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const server = DATABASE_SERVERS.mysql;
  const admin = await mysql.createConnection(server);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    kind,
    name,
    env: {
      DATABASE_CLIENT: 'mysql',
      DATABASE_HOST: server.host,
      DATABASE_PORT: String(server.port),
      DATABASE_NAME: name,
      DATABASE_USERNAME: server.user,
      DATABASE_PASSWORD: server.password,
    },
    exists: async () => {
      const client = await mysql.createConnection(server);
      try {
        const [rows] = await client.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
          name,
        ]);
        return Array.isArray(rows) && rows.length === 1;
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const client = await mysql.createConnection(server);
      try {
        await client.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await client.end();
      }
    },
  };
}

/** The database the current vitest project runs on (`TEST_DATABASE`, SQLite by default). */
export function databaseUnderTest(): DatabaseKind {
  const kind = process.env.TEST_DATABASE ?? 'sqlite';
  if (!isDatabaseKind(kind))
    throw new Error(`TEST_DATABASE must be one of ${DATABASE_KINDS.join(', ')}, got "${kind}"`);
  return kind;
}
