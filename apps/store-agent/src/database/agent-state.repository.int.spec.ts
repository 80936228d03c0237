import { createTempDir, type TempDir } from '@app/testing';
import type { CommandAck } from '@app/contracts';
import { openAgentDatabase, type AgentSqlite } from './agent-database.js';
import { AgentStateRepository } from './agent-state.repository.js';

const CMD = '01937c1e-8f00-7000-8000-000000000001';
const acked: CommandAck = { commandId: CMD, status: 'ACKED', appliedRevision: 2, appliedAt: '2026-11-21T10:00:00.000Z' };

describe(AgentStateRepository.name, () => {
  let tmp: TempDir;
  let db: AgentSqlite;

  beforeEach(async () => {
    tmp = await createTempDir('agent-state');
    db = openAgentDatabase(tmp.path);
  });

  afterEach(async () => {
    if (db.open) db.close();
    await tmp.remove();
  });

  describe('settle', () => {
    it('should find a settled command by id and by seq, also after the file is reopened', () => {
      new AgentStateRepository(db).settle({ commandId: CMD, seq: 7, domain: 'menu' }, acked);
      db.close();
      db = openAgentDatabase(tmp.path);
      const repo = new AgentStateRepository(db);
      expect(repo.findSettled(CMD, 99)).toEqual({ commandId: CMD, seq: 7, domain: 'menu', ack: acked });
      expect(repo.findSettled('01937c1e-8f00-7000-8000-000000000002', 7)?.commandId).toBe(CMD);
      expect(repo.findSettled('01937c1e-8f00-7000-8000-000000000002', 8)).toBeNull();
      expect(repo.pendingAcks()).toEqual([acked]);
    });

    it('should refuse to settle the same command twice', () => {
      const repo = new AgentStateRepository(db);
      repo.settle({ commandId: CMD, seq: 7, domain: 'menu' }, acked);
      expect(() => repo.settle({ commandId: CMD, seq: 7, domain: 'menu' }, acked)).toThrow(/UNIQUE/);
    });
  });

  describe('ackDelivered', () => {
    it('should remove the ack that was sent but keep a newer one queued for the same command', () => {
      const repo = new AgentStateRepository(db);
      const failed: CommandAck = {
        commandId: CMD,
        status: 'FAILED',
        errorCode: 'EDGE_UNAVAILABLE',
        errorDetail: 'down',
        appliedAt: '2026-11-21T10:00:00.000Z',
      };
      repo.queueAck(failed);
      repo.queueAck(acked);
      repo.ackDelivered(failed);
      expect(repo.pendingAcks()).toEqual([acked]);
      repo.ackDelivered(acked);
      expect(repo.pendingAcks()).toEqual([]);
    });
  });

  describe('cursor', () => {
    it('should start at 0 and keep what was saved', () => {
      const repo = new AgentStateRepository(db);
      expect(repo.cursor('downlink')).toBe(0);
      repo.saveCursor('downlink', 42);
      repo.saveCursor('downlink', 43);
      expect(new AgentStateRepository(db).cursor('downlink')).toBe(43);
    });
  });

  describe('openAgentDatabase', () => {
    it('should refuse a file written by a newer agent', () => {
      db.pragma('user_version = 99');
      db.close();
      expect(() => openAgentDatabase(tmp.path)).toThrow(/newer than this agent/);
    });
  });
});
