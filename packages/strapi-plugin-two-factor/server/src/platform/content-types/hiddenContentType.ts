import type { Schema } from '@strapi/strapi';

type Attributes = Schema.ContentType['attributes'];

export interface TableIndex {
  /** At most 63 characters (PostgreSQL's limit). */
  name: string;
  /** Column names, snake_case as in the table. */
  columns: string[];
  type?: 'unique';
}

/**
 * The plugin's tables are internal: hidden from the Content Manager and the Content-Type
 * Builder, no draft & publish, no i18n. Users are referenced by their numeric id
 * (`userId`) rather than a relation so counters and single-use updates stay one
 * `UPDATE … WHERE` on one table (DESIGN.md, "Data"), and uniqueness is a database index.
 */
export function hiddenContentType(input: {
  singularName: string;
  pluralName: string;
  collectionName: string;
  displayName: string;
  attributes: Attributes;
  indexes: TableIndex[];
}): { schema: Schema.ContentType } {
  return {
    schema: {
      kind: 'collectionType',
      collectionName: input.collectionName,
      info: {
        singularName: input.singularName,
        pluralName: input.pluralName,
        displayName: input.displayName,
      },
      options: { draftAndPublish: false },
      pluginOptions: {
        'content-manager': { visible: false },
        'content-type-builder': { visible: false },
        i18n: { localized: false },
      },
      attributes: input.attributes,
      // Strapi's schema sync creates these on every database (see transform-content-types-to-models).
      indexes: input.indexes,
    } as unknown as Schema.ContentType,
  };
}
