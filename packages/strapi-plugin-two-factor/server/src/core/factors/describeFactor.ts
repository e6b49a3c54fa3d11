import { maskPhone } from '../../platform/sms/maskPhone';
import type { FactorRow } from '../../platform/stores/factorStore';

export interface FactorDescription {
  id: number;
  type: FactorRow['type'];
  label: string | null;
  sentTo?: string;
  createdAt: string | null;
  lastUsedAt: string | null;
  /** Passkeys: synced or backed up (`true`), or bound to one device. */
  backedUp?: boolean;
  /** Passkeys: how the browser reached the authenticator (`internal`, `usb`, `hybrid`…). */
  transports?: string[];
}

const iso = (value: string | Date | null): string | null => (value === null ? null : new Date(value).toISOString());

/** A factor as its owner sees it: the number masked, never a secret or a key. */
export function describeFactor(factor: FactorRow): FactorDescription {
  return {
    id: factor.id,
    type: factor.type,
    label: factor.label,
    ...(factor.phone === null ? {} : { sentTo: maskPhone(factor.phone) }),
    createdAt: iso(factor.createdAt),
    lastUsedAt: iso(factor.lastUsedAt),
    // Never the public key or the credential ID: the owner needs neither to tell passkeys apart.
    ...(factor.type === 'passkey'
      ? { backedUp: factor.backedUp === true, transports: Array.isArray(factor.transports) ? factor.transports : [] }
      : {}),
  };
}
