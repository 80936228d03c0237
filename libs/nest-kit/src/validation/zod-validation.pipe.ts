import { Body, Param, Query, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseOrThrow } from '@app/contracts';

/** The HTTP side of the one validation approach: a schema from libs/, checked by parseOrThrow. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    readonly schema: S,
    readonly subject: string,
  ) {}

  transform(value: unknown): z.output<S> {
    return parseOrThrow(this.schema, value, this.subject);
  }
}

export const ZodBody = <S extends z.ZodType>(schema: S) => Body(new ZodValidationPipe(schema, 'request body'));
export const ZodQuery = <S extends z.ZodType>(schema: S) => Query(new ZodValidationPipe(schema, 'query'));
export const ZodParam = <S extends z.ZodType>(name: string, schema: S) => Param(name, new ZodValidationPipe(schema, `path parameter ${name}`));
