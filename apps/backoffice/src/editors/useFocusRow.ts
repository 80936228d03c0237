import { useEffect, useState } from 'react';

/**
 * Focuses the first field of an editor row once it is on the page (rows carry `data-row-key`): a
 * row just added is where the operator types next, and the focus scrolls it into view, clear of
 * the sticky bars. Returns the function that asks for it, given the row's key.
 */
export function useFocusRow(): (key: string) => void {
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    if (key === null) return;
    document.querySelector<HTMLElement>(`tr[data-row-key="${CSS.escape(key)}"] :is(input, select)`)?.focus();
    setKey(null);
  }, [key]);
  return setKey;
}
