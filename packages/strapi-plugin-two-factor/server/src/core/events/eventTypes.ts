/**
 * Every event the plugin writes to the audit log, with the short sentence the admin panel
 * shows for it. The one list: the event type, the admin's type filter and its labels all
 * derive from it, so a new event cannot reach the log without words.
 */
export const EVENT_DESCRIPTIONS = {
  'sign-in.succeeded': 'Signed in with a second step',
  'sign-in.failed': 'Entered a wrong code',
  'account.locked': 'Locked out after too many wrong codes',
  'account.unlocked': 'Unlocked by an admin',
  'factor.enrolled': 'Added a sign-in method',
  'factor.removed': 'Removed a sign-in method',
  'factors.reset': 'Two-step verification reset by an admin',
  'sessions.ended': 'Signed out everywhere by an admin',
  'recovery-codes.regenerated': 'Generated new recovery codes',
  'recovery-code.used': 'Signed in with a recovery code',
  'trusted-device.used': 'Signed in from a trusted device',
  'policy.changed': 'Changed the two-step policy',
  'passkey.cloned': 'A passkey signed with an old counter: it may have been copied',
  'factor.renamed': 'Renamed a sign-in method',
} as const satisfies Record<string, string>;

export type TwoFactorEventType = keyof typeof EVENT_DESCRIPTIONS;

export const EVENT_TYPES = Object.keys(EVENT_DESCRIPTIONS) as TwoFactorEventType[];
