import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/** Formats that say all a client needs: zod's long regular expression beside them is noise. */
const SELF_DESCRIBING_FORMATS = new Set(['date-time', 'date', 'uuid', 'email']);

/**
 * How zod schemas become OpenAPI 3.0 JSON Schema (refinements are not expressible). Objects stay
 * open (no `additionalProperties: false`) unless the schema is strict: a client must keep working
 * when an answer gains a field.
 */
export function openApiOptions(io: 'input' | 'output') {
  return {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as { type: string; catchall?: { _zod: { def: { type: string } } } };
      if (def.type === 'object' && jsonSchema.additionalProperties === false && def.catchall?._zod.def.type !== 'never') delete jsonSchema.additionalProperties;
      if (typeof jsonSchema.format === 'string' && SELF_DESCRIBING_FORMATS.has(jsonSchema.format)) delete jsonSchema.pattern;
    },
  } satisfies z.core.ToJSONSchemaParams;
}

/** A zod schema as OpenAPI 3.0 JSON Schema: its request side (what a client may send) unless told otherwise. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  return z.toJSONSchema(schema, openApiOptions(io)) as JsonSchema;
}

/** Each field of a query schema as an OpenAPI query parameter (optional when it has a default). */
export function queryParameters(schema: z.ZodType): { name: string; in: 'query'; required: boolean; schema: Record<string, unknown>; description?: string }[] {
  const json = openApiSchema(schema);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name) && property.default === undefined,
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** Documents a body validated by ZodBody with the same schema (`required: false` when no body at all is fine). */
export const ApiZodBody = (schema: z.ZodType, options: { description?: string; required?: boolean } = {}) =>
  ApiBody({ schema: openApiSchema(schema) as never, ...options });

/** Documents each field of a query validated by ZodQuery. */
export function ApiZodQuery(schema: z.ZodObject) {
  return applyDecorators(
    ...queryParameters(schema).map(({ name, required, schema: property, description }) => ApiQuery({ name, required, schema: property as never, description })),
  );
}
