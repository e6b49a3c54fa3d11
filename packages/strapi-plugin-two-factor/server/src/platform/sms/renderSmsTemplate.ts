export interface SmsTemplateValues {
  code: string;
  appName: string;
  /** Shown as `{minutes}`: whole minutes, rounded up (90 s reads "2"). */
  codeLifetimeSeconds: number;
}

const PLACEHOLDER = /\{(code|appName|minutes)\}/g;

/**
 * Fills `{code}`, `{appName}` and `{minutes}`, every occurrence. One pass over the template,
 * so a placeholder inside a value (an app named "{code}") is left as text.
 */
export function renderSmsTemplate(template: string, values: SmsTemplateValues): string {
  const replacements: Record<string, string> = {
    code: values.code,
    appName: values.appName,
    minutes: String(Math.ceil(values.codeLifetimeSeconds / 60)),
  };
  return template.replace(PLACEHOLDER, (_placeholder, name: string) => replacements[name] ?? '');
}
