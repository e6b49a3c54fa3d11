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

/** `uid`'s attributes as Strapi's metadata holds them (column names included). */
function attributesOf(strapi: Core.Strapi, uid: UID.Schema): Record<string, Attribute> {
  return strapi.db.metadata.get(uid).attributes as unknown as Record<string, Attribute>;
}

function columnOf(attributes: Record<string, Attribute>, uid: UID.Schema, name: string): string {
  const attribute = attributes[name];
  if (attribute === undefined) throw new Error(`${uid} has no attribute ${name}`);
  return attribute.columnName ?? name;
}

/**
 * A column's value as Strapi's query engine hands it back (its fields' `fromDB`), for the
 * types the readers here read: datetimes as ISO strings, integers as numbers.
 */
function fromDatabase(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'datetime') {
    const date = value instanceof Date ? value : new Date(value as string | number);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  if ((type === 'integer' || type === 'increments') && typeof value === 'string') return Number(value);
  return value;
}

export interface KnexRowReader<Row> {
  /** `select` for knex: each attribute from its column. */
  columns(): Record<string, string>;
  /** A row as knex read it (keyed by attribute), as Strapi's query engine would hand it back. */
  fromRow(raw: Record<string, unknown> | undefined): Row | null;
  /** A row keyed by column, as `UPDATE … RETURNING` hands it back, in the same shape. */
  fromColumns(raw: Record<string, unknown> | undefined): Row | null;
}

/**
 * Reads `uid`'s rows with knex on a hot path, where Strapi's query engine costs more than the
 * SQL (the bench's CPU profile, issue 16), in the engine's shapes: column names from Strapi's
 * metadata, datetimes back as ISO strings.
 */
export function knexRowReader<Row>(
  strapi: Core.Strapi,
  uid: UID.Schema,
  attributeNames: readonly string[],
): KnexRowReader<Row> {
  let prepared: { select: Record<string, string>; types: Record<string, string> } | undefined;
  const prepare = () => {
    if (prepared !== undefined) return prepared;
    const attributes = attributesOf(strapi, uid);
    const select: Record<string, string> = {};
    const types: Record<string, string> = {};
    for (const name of attributeNames) {
      select[name] = columnOf(attributes, uid, name);
      types[name] = (attributes[name] as Attribute).type;
    }
    prepared = { select, types };
    return prepared;
  };
  /** The row's attributes from `raw`, where `keyOf` names the key each one is under. */
  const shape = (raw: Record<string, unknown> | undefined, keyOf: (name: string) => string): Row | null => {
    if (raw === undefined) return null;
    const { types } = prepare();
    const row: Record<string, unknown> = {};
    for (const name of attributeNames) row[name] = fromDatabase(types[name] as string, raw[keyOf(name)]);
    return row as Row;
  };
  return {
    columns: () => prepare().select,
    fromRow: (raw) => shape(raw, (name) => name),
    fromColumns: (raw) => shape(raw, (name) => prepare().select[name] as string),
  };
}

const DOCUMENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A document id of the shape Strapi makes (24 characters, a letter first). */
function newDocumentId(): string {
  let id = DOCUMENT_ID_ALPHABET[randomInt(26)] as string;
  while (id.length < 24) id += DOCUMENT_ID_ALPHABET[randomInt(DOCUMENT_ID_ALPHABET.length)];
  return id;
}

/**
 * The columns of one INSERT of `data` (keyed by attribute) into `uid`'s table, as Strapi's
 * query engine would write it: column names from its metadata, JSON attributes serialised,
 * and the document id and creation, update and publication times it gives every row.
 */
export function insertColumns(
  strapi: Core.Strapi,
  uid: UID.Schema,
  data: Record<string, unknown>,
  at: Date,
): Record<string, unknown> {
  const attributes = attributesOf(strapi, uid);
  const insert: Record<string, unknown> = {
    [columnOf(attributes, uid, 'documentId')]: newDocumentId(),
    [columnOf(attributes, uid, 'createdAt')]: at,
    [columnOf(attributes, uid, 'updatedAt')]: at,
    [columnOf(attributes, uid, 'publishedAt')]: at,
  };
  for (const [name, value] of Object.entries(data)) {
    const type = attributes[name]?.type;
    insert[columnOf(attributes, uid, name)] =
      value === null || value === undefined ? null : type === 'json' ? JSON.stringify(value) : value;
  }
  return insert;
}
