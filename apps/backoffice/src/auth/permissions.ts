import type { OperatorRoleName, SyncDomain } from '@app/contracts';

/**
 * What each operator role may do, as the cloud enforces it (SYSTEM.md 4.4): the UI offers only
 * these actions. Viewers read; menu editors publish the menu; support retries commands; admins do
 * everything.
 */
export interface Permissions {
  publish: (domain: SyncDomain) => boolean;
  retryCommands: boolean;
  manageStores: boolean;
  manageNodes: boolean;
  issueDeviceTokens: boolean;
}

export function permissionsOf(role: OperatorRoleName): Permissions {
  const admin = role === 'ADMIN';
  return {
    publish: (domain) => admin || (role === 'MENU_EDITOR' && domain === 'menu'),
    retryCommands: admin || role === 'SUPPORT',
    manageStores: admin,
    manageNodes: admin,
    issueDeviceTokens: admin,
  };
}

export const ROLE_LABELS: Record<OperatorRoleName, string> = {
  ADMIN: 'Admin',
  MENU_EDITOR: 'Menu editor',
  SUPPORT: 'Support',
  VIEWER: 'Viewer',
};
