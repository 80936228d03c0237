import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/** The request side of a zod schema as OpenAPI 3.0 JSON Schema (refinements are not expressible). */
export function openApiSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Documents a body validated by ZodBody with the same schema. */
export const ApiZodBody = (schema: z.ZodType, description?: string) => ApiBody({ schema: openApiSchema(schema) as never, description });

/** Documents each field of a query validated by ZodQuery. */
export function ApiZodQuery(schema: z.ZodObject) {
  const json = openApiSchema(schema);
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name) && property.default === undefined, schema: property as never, description: property.description as string | undefined }),
    ),
  );
}
