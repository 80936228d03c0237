import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { heartbeatResponseSchema, keysResponseSchema, validate, type AppliedRevisions, type EdgeStatus, type HeartbeatRequest } from '@app/contracts';
import { CloudClient } from '../cloud/cloud-client.js';
import { httpJson } from '../common/http-json.js';
import type { LoopRound } from '../common/run-loop.js';
import { AgentConfig } from '../config/agent-config.js';
import { EdgeClient } from '../edge/edge-client.js';
import { EdgeMonitorService } from '../edge/edge-monitor.service.js';
import { TrustHandoffService } from '../edge/trust-handoff.service.js';
import { IdentityService } from '../identity/identity.service.js';
import { UplinkService } from '../uplink/uplink.service.js';
import { AGENT_VERSION } from '../version.js';
import { AgentMetrics } from './agent-metrics.js';

export const HEALTH_FILE = 'health.json';

export interface AgentHealth {
  status: 'ok' | 'degraded';
  at: string;
  nodeId: string | null;
  storeId: string | null;
  version: string;
  cloudReachable: boolean;
  edgeReachable: boolean;
  lastHeartbeatAt: string | null;
  lastCloudSyncAt: string | null;
  hubSeq: number | null;
  outboxDepth: number | null;
  appliedRevisions: AppliedRevisions | null;
  counters: Record<string, number>;
}

/**
 * Every HEARTBEAT_INTERVAL_SECONDS: reads the hub's /status (applied revisions, outbox depth, hub
 * seq, cloud cursor), reports it to the cloud, refreshes the command keys and hands them to the hub
 * with the store's node revocations from the answer (so a revoked node's agent token is refused by
 * the hub within a heartbeat), and writes AGENT_DATA_DIR/health.json for the container's health check.
 */
@Injectable()
export class HeartbeatService {
  private readonly logger = new Logger(HeartbeatService.name);
  private lastHeartbeatAt: Date | null = null;
  private cloudReachable = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly identity: IdentityService,
    private readonly cloud: CloudClient,
    private readonly edge: EdgeClient,
    private readonly edgeMonitor: EdgeMonitorService,
    private readonly trust: TrustHandoffService,
    private readonly uplink: UplinkService,
    private readonly metrics: AgentMetrics,
  ) {}

  async round(signal: AbortSignal): Promise<LoopRound> {
    const status = await this.edge
      .call<EdgeStatus>('GET', '/status', undefined, { signal, timeoutMs: 5_000 })
      .then((res) => (res.status === 200 ? res.body : null))
      .catch(() => null);
    this.edgeMonitor.record(status !== null);
    const beat: HeartbeatRequest = {
      softwareVersion: AGENT_VERSION,
      hostname: this.config.hostname,
      appliedRevisions: status?.appliedRevisions ?? {},
      outboxDepth: status?.outboxDepth ?? 0,
      hubSeq: status?.latestSeq ?? 0,
      cloudCursor: status?.cloudCursor ?? 0,
      edgeReachable: status !== null,
      lastCloudSyncAt: (status?.lastCloudSyncAt ?? this.uplink.lastCloudSyncAt?.toISOString()) || null,
    };
    let revocationsToken: string | undefined;
    try {
      const answer = await this.cloud.call('POST', '/api/v1/nodes/heartbeat', beat, { signal });
      const parsed = validate(heartbeatResponseSchema, answer.body);
      revocationsToken = parsed.ok ? parsed.value.revocationsToken : undefined;
      this.cloudReachable = true;
      this.lastHeartbeatAt = new Date();
      await this.refreshKeys(signal);
    } catch (error) {
      this.cloudReachable = false;
      throw error;
    } finally {
      this.writeHealth(status);
    }
    if (status) {
      await this.trust.push();
      if (revocationsToken) await this.trust.pushRevocations(revocationsToken);
    }
    return 'idle';
  }

  /** The keys the cloud publishes now: a rotation reaches the node (and its hub) within a heartbeat. */
  private async refreshKeys(signal: AbortSignal): Promise<void> {
    const res = await httpJson({ method: 'GET', url: `${this.config.cloudUrl}/api/v1/keys`, timeoutMs: 10_000, signal }).catch(() => null);
    if (!res || res.status !== 200) return;
    const keys = validate(keysResponseSchema, res.body);
    if (keys.ok) this.identity.updateKeys(keys.value);
  }

  writeHealth(status: EdgeStatus | null): void {
    let identity: { nodeId: string; storeId: string } | null = null;
    try {
      identity = this.identity.current;
    } catch {
      identity = null;
    }
    const health: AgentHealth = {
      status: this.cloudReachable && status !== null ? 'ok' : 'degraded',
      at: new Date().toISOString(),
      nodeId: identity?.nodeId ?? null,
      storeId: identity?.storeId ?? null,
      version: AGENT_VERSION,
      cloudReachable: this.cloudReachable,
      edgeReachable: status !== null,
      lastHeartbeatAt: this.lastHeartbeatAt?.toISOString() ?? null,
      lastCloudSyncAt: status?.lastCloudSyncAt ?? this.uplink.lastCloudSyncAt?.toISOString() ?? null,
      hubSeq: status?.latestSeq ?? null,
      outboxDepth: status?.outboxDepth ?? null,
      appliedRevisions: status?.appliedRevisions ?? null,
      counters: this.metrics.snapshot(),
    };
    const file = path.join(this.config.dataDir, HEALTH_FILE);
    try {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(health, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.logger.warn(`cannot write ${file}: ${(error as Error).message}`);
    }
  }
}
