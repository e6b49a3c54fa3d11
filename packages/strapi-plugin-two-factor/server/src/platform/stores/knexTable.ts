import { randomInt } from 'node:crypto';
import type { Core, UID } from '@strapi/strapi';

/** Strapi's knex transaction (the plugin does not depend on knex itself). */
export type Transaction = Parameters<Parameters<Core.Strapi['db']['transaction']>[0]>[0]['trx'];
export type TableQuery = ReturnType<Transaction>;

/**
 * Runs one statement on `uid`'s table through knex, inside the caller's transaction when
 * there is one (Strapi's `transaction` joins it): alone, one statement is atomic by itself,
 * with no `BEGIN` and `COMMIT` around it.
 */
export async function runStatement<T>(
  strapi: Core.Strapi,
  uid: UID.Schema,
  build: (table: TableQuery, knex: Transaction) => Promise<T>,
): Promise<T> {
  const tableName = strapi.db.metadata.get(uid).tableName;
  if (!strapi.db.inTransaction()) {
    const knex = strapi.db.connection as unknown as Transaction;
    return build(knex(tableName), knex);
  }
  return strapi.db.transaction(async ({ trx }) => build(trx(tableName), trx));
}

interface Attribute {
  type: string;
  columnName?: string;
}

/** How Strapi's query engine hands back a column of each type (its fields' `fromDB`). */
function fromDatabase(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime':
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as string | number);
      return Number.isNaN(date.getTime()) ? null : date.toISOString();
    }
    case 'integer':
    case 'increments':
      return typeof value === 'string' ? Number(value) : value;
    case 'boolean':
      return typeof value === 'boolean' ? value : Boolean(Number(value));
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

/** How Strapi's query engine writes a value of each type (its fields' `toDB`). */
function toDatabase(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'json') return JSON.stringify(value);
  return value;
}

const DOCUMENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A document id of the shape Strapi makes (24 characters, a letter first). */
function newDocumentId(): string {
  let id = DOCUMENT_ID_ALPHABET[randomInt(26)] as string;
  while (id.length < 24) id += DOCUMENT_ID_ALPHABET[randomInt(DOCUMENT_ID_ALPHABET.length)];
  return id;
}

export interface KnexRows<Row> {
  /** `select` for knex: each attribute from its column. */
  columns(): Record<string, string>;
  /** A row as knex read it (keyed by attribute) as Strapi's query engine would hand it back. */
  fromRow(raw: Record<string, unknown> | undefined): Row | null;
  /** An INSERT's columns for `data` (keyed by attribute), with what Strapi adds to every row. */
  toInsert(data: Record<string, unknown>, at: Date): Record<string, unknown>;
}

/**
 * Reads and writes `uid`'s rows with knex on hot paths, where Strapi's query engine costs more
 * than the SQL (the bench's CPU profile, issue 16), in the shapes the engine uses: column
 * names from Strapi's metadata, datetimes handed back as ISO strings, JSON as values, and on
 * insert the document id and publication time Strapi gives every row.
 */
export function knexRows<Row>(strapi: Core.Strapi, uid: UID.Schema, attributeNames: readonly string[]): KnexRows<Row> {
  let prepared: { select: Record<string, string>; types: Record<string, string>; all: Record<string, Attribute> };
  const prepare = () => {
    if (prepared !== undefined) return prepared;
    const attributes = strapi.db.metadata.get(uid).attributes as unknown as Record<string, Attribute>;
    const select: Record<string, string> = {};
    const types: Record<string, string> = {};
    for (const name of attributeNames) {
      const attribute = attributes[name];
      if (attribute === undefined) throw new Error(`${uid} has no attribute ${name}`);
      select[name] = attribute.columnName ?? name;
      types[name] = attribute.type;
    }
    prepared = { select, types, all: attributes };
    return prepared;
  };
  const columnOf = (name: string): string => {
    const attribute = prepare().all[name];
    if (attribute === undefined) throw new Error(`${uid} has no attribute ${name}`);
    return attribute.columnName ?? name;
  };

  return {
    columns: () => prepare().select,

    fromRow(raw) {
      if (raw === undefined) return null;
      const { types } = prepare();
      const row: Record<string, unknown> = {};
      for (const name of attributeNames) row[name] = fromDatabase(types[name] as string, raw[name]);
      return row as Row;
    },

    toInsert(data, at) {
      const { all } = prepare();
      const insert: Record<string, unknown> = {
        [columnOf('documentId')]: newDocumentId(),
        [columnOf('createdAt')]: at,
        [columnOf('updatedAt')]: at,
        [columnOf('publishedAt')]: at,
      };
      for (const [name, value] of Object.entries(data)) {
        const attribute = all[name];
        if (attribute === undefined) throw new Error(`${uid} has no attribute ${name}`);
        insert[attribute.columnName ?? name] = toDatabase(attribute.type, value);
      }
      return insert;
    },
  };
}
