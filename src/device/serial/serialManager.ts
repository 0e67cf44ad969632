import { promises as fs } from 'node:fs';
import { SerialPort } from 'serialport';
import type { Disposable } from '../emitter';
import { SerialConnection } from './serialConnection';
import type { SerialConnectionOptions } from './serialConnection';

export interface PortListing {
  path: string;
  /** 'system' from the OS enumeration; 'config' for a path the user named (ptys are never listed). */
  source: 'system' | 'config';
  /** False for a configured path that does not exist right now (the device is unplugged). */
  present: boolean;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

/** The serial ports of a workspace: what exists, and one connection per watched path. */
export class SerialManager implements Disposable {
  private readonly connections = new Map<string, SerialConnection>();

  async list(configuredPaths: readonly string[] = []): Promise<PortListing[]> {
    const system = await SerialPort.list().catch(() => []);
    const listed: PortListing[] = system.map((p) => ({
      path: p.path,
      source: 'system' as const,
      present: true,
      ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
      ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
      ...(p.vendorId ? { vendorId: p.vendorId } : {}),
      ...(p.productId ? { productId: p.productId } : {}),
    }));
    for (const path of configuredPaths) {
      if (listed.some((p) => p.path === path)) continue;
      const present = await fs.stat(path).then(
        () => true,
        () => false,
      );
      listed.push({ path, source: 'config', present });
    }
    return listed;
  }

  /** The connection for `options.path`, created and started on first use. */
  async connect(options: SerialConnectionOptions): Promise<SerialConnection> {
    let connection = this.connections.get(options.path);
    if (!connection) {
      connection = new SerialConnection(options);
      this.connections.set(options.path, connection);
    } else if (connection.state.kind === 'connected') {
      await connection.setBaudRate(options.baudRate);
    }
    await connection.connect();
    return connection;
  }

  get(path: string): SerialConnection | undefined {
    return this.connections.get(path);
  }

  async disconnect(path: string): Promise<void> {
    const connection = this.connections.get(path);
    this.connections.delete(path);
    await connection?.disconnect();
    connection?.dispose();
  }

  dispose(): void {
    for (const connection of this.connections.values()) connection.dispose();
    this.connections.clear();
  }
}
