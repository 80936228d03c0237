import { Injectable } from '@nestjs/common';
import { EdgeHealthRepository } from './health.repository.js';

export interface EdgeHealth {
  status: 'ok' | 'unavailable';
  checks: { sqlite: { status: 'up' | 'down'; latencyMs: number; error?: string } };
}

@Injectable()
export class EdgeHealthService {
  constructor(private readonly repository: EdgeHealthRepository) {}

  check(): EdgeHealth {
    const started = performance.now();
    try {
      this.repository.writeProbe();
      return { status: 'ok', checks: { sqlite: { status: 'up', latencyMs: Math.round(performance.now() - started) } } };
    } catch (error) {
      return { status: 'unavailable', checks: { sqlite: { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message } } };
    }
  }
}
