import { z } from 'zod';

/** A query string value that may be absent or empty (`?search=`), both meaning "no filter". */
export function optionalQueryValue<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}
