/**
 * Bodies of the plugin's admin API (`server/src/admin`), as the admin panel reads them: declared
 * once in `@strapi-two-factor/contract`, under the names the panel uses. Types only, so the
 * admin bundle imports nothing from the contract at run time.
 */

export type {
  AdminEvent,
  AdminPasskey,
  AdminPolicy as Policy,
  AdminSettingsAnswer as SettingsResponse,
  AdminSettingsUpdateAnswer as UpdateSettingsResponse,
  AdminUserSession,
  AdminUserSessions,
  AdminUserStatus,
  EndedSessions,
  NumericPolicyField,
  Page as Paged,
  Pagination,
  PolicyMethod as FactorMethod,
  PolicyMode,
  SmsPreviewAnswer,
} from '@strapi-two-factor/contract';
