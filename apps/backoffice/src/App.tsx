import { useEffect, useState } from 'react';

interface Health {
  status: string;
  checks: Record<string, { status: string; latencyMs: number }>;
}

/** The backoffice shell: shows whether the cloud it talks to is healthy. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch('/healthz')
      .then(async (res) => setHealth((await res.json()) as Health))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '3rem auto', maxWidth: 640 }}>
      <h1>POS Fleet backoffice</h1>
      {error && <p role="alert">Cloud unreachable: {error}</p>}
      {health && (
        <p>
          Cloud {health.status}: {Object.entries(health.checks).map(([name, c]) => `${name} ${c.status}`).join(', ')}
        </p>
      )}
    </main>
  );
}
