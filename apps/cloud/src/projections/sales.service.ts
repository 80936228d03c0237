import { Injectable } from '@nestjs/common';
import { ContractValidationError, STORE_CURRENCY_SETTING, currencyCodeOf, type SalesResponse } from '@app/contracts';
import { dayInTimeZone } from '../common/time-zone.js';
import { RevisionsRepository } from '../revisions/revisions.repository.js';
import type { StoreRow } from '../stores/stores.repository.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { ProjectionsRepository } from './projections.repository.js';

const DEFAULT_DAYS = 31;
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Sales per day of a store, every day of the range present (zero when nothing was sold), in the store's currency. */
@Injectable()
export class SalesService {
  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly revisions: RevisionsRepository,
  ) {}

  async perDay(scope: TenantScope, store: StoreRow, query: { from?: string; to?: string }, now = new Date()): Promise<SalesResponse> {
    const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_DAYS - 1) : dayInTimeZone(now, store.timezone));
    const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
    const span = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (span < 1) throw new ContractValidationError([{ path: 'from', code: 'invalid_range', message: 'must not be after to' }], 'query');
    if (span > MAX_DAYS)
      throw new ContractValidationError([{ path: 'to', code: 'invalid_range', message: `must be at most ${MAX_DAYS} days after from` }], 'query');
    const [sums, currency] = await Promise.all([
      this.projections.salesDays(scope, store.id, from, to),
      this.revisions.latestSettingText(scope, store.id, STORE_CURRENCY_SETTING),
    ]);
    const rows = new Map(sums.map((r) => [r.day, r]));
    const days = Array.from({ length: span }, (_, i) => {
      const day = addDays(from, i);
      const row = rows.get(day);
      return { day, orders: row?.orders ?? 0, salesCents: row?.salesCents ?? 0 };
    });
    return { storeId: store.id, currency: currencyCodeOf(currency), days };
  }
}
