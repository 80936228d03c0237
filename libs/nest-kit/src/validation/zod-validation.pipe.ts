import { Body, Param, Query, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ContractValidationError, loneSurrogateIssue, parseOrThrow } from '@app/contracts';

export interface ZodBodyOptions {
  /**
   * The body's items are checked one by one by the route itself (an ingest batch: one bad event is
   * rejected alone), so a lone surrogate in one of them must not refuse the whole body here.
   */
  itemsCheckedOneByOne?: boolean;
}

/** The HTTP side of the one validation approach: a schema from libs/, checked by parseOrThrow. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    readonly schema: S,
    readonly subject: string,
    private readonly wellFormed = true,
  ) {}

  transform(value: unknown): z.output<S> {
    const issue = this.wellFormed ? loneSurrogateIssue(value) : null;
    if (issue) throw new ContractValidationError([issue], this.subject);
    return parseOrThrow(this.schema, value, this.subject);
  }
}

export const ZodBody = <S extends z.ZodType>(schema: S, options: ZodBodyOptions = {}) =>
  Body(new ZodValidationPipe(schema, 'request body', !options.itemsCheckedOneByOne));
export const ZodQuery = <S extends z.ZodType>(schema: S) => Query(new ZodValidationPipe(schema, 'query'));
export const ZodParam = <S extends z.ZodType>(name: string, schema: S) => Param(name, new ZodValidationPipe(schema, `path parameter ${name}`));
