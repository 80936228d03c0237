import { Injectable } from '@nestjs/common';
import { HUB_EVENTS, type StateChanged, type SyncDomain } from '@app/contracts';
import type { Server } from 'socket.io';
import { DeviceRegistry, type ConnectedDevice } from './device-registry.js';

/** What the rest of the hub may tell the devices, and who is connected (for /status). */
@Injectable()
export class DeviceNotifier {
  private server: Server | null = null;
  private room = '';

  constructor(private readonly registry: DeviceRegistry) {}

  /** Called by the gateway once Socket.IO is up. */
  attach(server: Server, realmRoom: string): void {
    this.server = server;
    this.room = realmRoom;
  }

  /** A synced domain changed: devices refetch it (menus refresh live). */
  stateChanged(domain: SyncDomain, revision: number): void {
    const message: StateChanged = { domain, revision };
    this.server?.to(this.room).emit(HUB_EVENTS.stateChanged, message);
  }

  connectedDevices(): ConnectedDevice[] {
    return this.registry.list();
  }
}
