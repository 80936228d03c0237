import { mayPublishDomain, type OperatorRoleName, type SyncDomain } from '@app/contracts';

/**
 * What each operator role may do, as the cloud enforces it (SYSTEM.md 4.4): the UI offers only
 * these actions. Viewers read; who publishes a domain is the domain registry's `publishRoles` (menu
 * editors: the menu); support retries commands; admins do everything.
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
    publish: (domain) => mayPublishDomain(role, domain),
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
