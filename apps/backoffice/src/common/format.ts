/** Cents to a price as typed in a field: 1450 -> "14.50". */
export function centsToText(cents: number): string {
  return (cents / 100).toFixed(2);
}

/**
 * A price as typed ("14.5", "14.50", "14") to cents; null when it is not a price with at most two
 * decimals (the field shows why).
 */
export function textToCents(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.replace('-', '').split('.');
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return t.startsWith('-') ? -cents : cents;
}

const englishPlurals = new Intl.PluralRules('en');

/**
 * A count with its noun, singular or plural as English wants it: "1 store", "0 stores",
 * "2 stores". The UI's text is English; the number is grouped in the operator's locale.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${englishPlurals.select(count) === 'one' ? singular : pluralForm}`;
}

/**
 * An amount in hundredths (every amount in the product is: `priceCents`, `salesCents`) in the
 * operator's locale, with its currency when there is one: `£1,234.50` (en-GB), `1.234,50 €`
 * (de-DE); without one, just the number (`1,234.50`). Always two decimals, whatever the
 * currency's usual minor unit, since the amounts are hundredths.
 */
export function money(cents: number, currency?: string | null, locale?: string): string {
  const digits = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return (cents / 100).toLocaleString(locale, currency ? { style: 'currency', currency, ...digits } : digits);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return `${duration(s)} ago`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

export function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/** The time of day with seconds (the date is in the title). */
export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
