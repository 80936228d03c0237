import { Injectable } from '@nestjs/common';

export interface ConnectedDevice {
  deviceId: string;
  role: string;
  connectedAt: string;
}

/** The devices connected right now, by socket id. */
@Injectable()
export class DeviceRegistry {
  private readonly sockets = new Map<string, ConnectedDevice>();

  add(socketId: string, device: ConnectedDevice): void {
    this.sockets.set(socketId, device);
  }

  remove(socketId: string): void {
    this.sockets.delete(socketId);
  }

  list(): ConnectedDevice[] {
    return [...this.sockets.values()];
  }
}
