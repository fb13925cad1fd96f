import type { z } from "zod";

/**
 * Reads the keys a strict mapping allows straight from the zod schema, so "did you mean" and
 * "belongs under `trigger:`" can never drift from what the schema accepts.
 */
type Schema = z.core.$ZodType;

/** The object schema at `path`, looking through optional/nullable/pipes, lists and records. */
export function objectAt(schema: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = unwrap(schema);
  for (const segment of path) {
    if (current === undefined) return undefined;
    const def = current._zod.def;
    if (def.type === "object" && typeof segment === "string") {
      current = unwrap((def as z.core.$ZodObjectDef).shape[segment]);
    } else if (def.type === "array" && typeof segment === "number") {
      current = unwrap((def as z.core.$ZodArrayDef).element);
    } else if (def.type === "record") {
      current = unwrap((def as z.core.$ZodRecordDef).valueType);
    } else {
      return undefined;
    }
  }
  return current;
}

export function keysAt(schema: Schema, path: readonly PropertyKey[]): string[] {
  let object = objectAt(schema, path);
  // A list of mappings (`conditionals`) allows what each of its entries allows.
  if (object?._zod.def.type === "array") object = unwrap((object._zod.def as z.core.$ZodArrayDef).element);
  if (object === undefined || object._zod.def.type !== "object") return [];
  return Object.keys((object._zod.def as z.core.$ZodObjectDef).shape);
}

/** The key, directly under the mapping at `path`, whose own mapping allows `key`. */
export function parentKeyOf(schema: Schema, path: readonly PropertyKey[], key: string): string | undefined {
  for (const candidate of keysAt(schema, path)) {
    if (keysAt(schema, [...path, candidate]).includes(key)) return candidate;
  }
  return undefined;
}

function unwrap(schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (;;) {
    if (current === undefined) return undefined;
    const def = current._zod.def;
    if (def.type === "optional" || def.type === "nullable" || def.type === "default") {
      current = (def as z.core.$ZodOptionalDef).innerType;
    } else if (def.type === "pipe") {
      current = (def as z.core.$ZodPipeDef).in;
    } else {
      return current;
    }
  }
}
