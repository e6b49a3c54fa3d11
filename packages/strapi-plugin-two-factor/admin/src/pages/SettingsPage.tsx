import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { errorFields, errorMessage } from '../api/errorFields';
import type {
  FactorMethod,
  NumericPolicyField,
  PolicyMode,
  SettingsResponse,
  SmsPreviewAnswer,
  UpdateSettingsResponse,
} from '../api/types';
import { PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';
import {
  type FieldProblem,
  METHODS,
  MODES,
  type PolicyField,
  type PolicyForm,
  toForm,
  validateForm,
} from './policyForm';

const PREVIEW_DELAY_MILLISECONDS = 300;

const NUMBER_FIELDS: { name: NumericPolicyField; label: string; hint: string }[] = [
  { name: 'codeLength', label: 'Code length (digits)', hint: 'Digits of an SMS or email code.' },
  { name: 'codeLifetimeSeconds', label: 'Code lifetime (seconds)', hint: 'How long a sent code works.' },
  {
    name: 'maxAttemptsPerChallenge',
    label: 'Wrong codes per sign-in',
    hint: 'Then the sign-in must start again.',
  },
  {
    name: 'maxConsecutiveFailures',
    label: 'Failures before a lock-out',
    hint: 'Consecutive failed second steps, across sign-ins.',
  },
  { name: 'lockoutSeconds', label: 'Lock-out (seconds)', hint: 'How long a locked account waits.' },
  { name: 'resendCooldownSeconds', label: 'Resend cooldown (seconds)', hint: 'Between two codes for one sign-in.' },
  { name: 'maxSendsPerChallenge', label: 'Codes per sign-in', hint: 'Sends for one sign-in, the first included.' },
];

const METHOD_LABELS: Record<FactorMethod, string> = {
  sms: 'SMS code',
  totp: 'Authenticator app',
  email: 'Email code',
};

const MODE_LABELS: Record<PolicyMode, string> = {
  off: 'Off: nobody gets a second step',
  optional: 'Optional: users who enrolled, and the required roles',
  required: 'Required: every user must enrol',
};

/** `Settings → Two-factor → Policy`: who must use a second step and how codes behave. */
export const SettingsPage = (): React.JSX.Element => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <PolicySettings />
  </Page.Protect>
);

const PolicySettings = (): React.JSX.Element => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const { get, put, post } = useFetchClient();
  const {
    isLoading: isLoadingPermissions,
    allowedActions: { canSettings },
  } = useRBAC(PERMISSIONS.settings);

  const [settings, setSettings] = React.useState<SettingsResponse>();
  const [form, setForm] = React.useState<PolicyForm>();
  const [problems, setProblems] = React.useState<Partial<Record<PolicyField, FieldProblem>>>({});
  const [loadFailed, setLoadFailed] = React.useState(false);
  const [isSaving, setIsSaving] = React.useState(false);
  const [preview, setPreview] = React.useState<string>();

  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>): string =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  React.useEffect(() => {
    get<SettingsResponse>('/two-factor/settings')
      .then(({ data }) => {
        setSettings(data);
        setForm(toForm(data.policy));
      })
      .catch(() => setLoadFailed(true));
  }, [get]);

  const template = form?.smsTemplate;
  const codeLength = form?.codeLength;
  const codeLifetimeSeconds = form?.codeLifetimeSeconds;
  React.useEffect(() => {
    if (template === undefined) return undefined;
    // Rendered by the server, with the same function the SMS goes through.
    const timer = setTimeout(() => {
      post<SmsPreviewAnswer>('/two-factor/settings/preview-sms', {
        template,
        ...(codeLength !== undefined && codeLength >= 6 && codeLength <= 8 ? { codeLength } : {}),
        ...(codeLifetimeSeconds !== undefined && codeLifetimeSeconds >= 60 && codeLifetimeSeconds <= 600
          ? { codeLifetimeSeconds }
          : {}),
      })
        .then(({ data }) => setPreview(data.text))
        .catch(() => setPreview(undefined));
    }, PREVIEW_DELAY_MILLISECONDS);
    return () => clearTimeout(timer);
  }, [post, template, codeLength, codeLifetimeSeconds]);

  if (loadFailed) return <Page.Error />;
  if (isLoadingPermissions || settings === undefined || form === undefined) return <Page.Loading />;

  const change = <Field extends keyof PolicyForm>(field: Field, value: PolicyForm[Field]): void => {
    setForm({ ...form, [field]: value });
    setProblems(({ [field]: _solved, ...rest }) => rest);
  };

  const toggle = <Item extends string>(list: Item[], item: Item, checked: boolean): Item[] =>
    checked ? [...new Set([...list, item])] : list.filter((entry) => entry !== item);

  const problem = (field: PolicyField): string | undefined => {
    const found = problems[field];
    return found === undefined ? undefined : t(found.id, found.defaultMessage, found.values);
  };

  const save = async (): Promise<void> => {
    const { policy, problems: found } = validateForm(form, settings.bounds);
    setProblems(found);
    if (policy === undefined) {
      toggleNotification({
        type: 'warning',
        message: t('settings.notification.invalid', 'Some values need fixing before saving.'),
      });
      return;
    }
    setIsSaving(true);
    try {
      const { data } = await put<UpdateSettingsResponse>('/two-factor/settings', policy);
      setSettings({ ...settings, policy: data.policy });
      setForm(toForm(data.policy));
      toggleNotification({
        type: 'success',
        message:
          data.relaxed.length > 0
            ? t('settings.notification.savedRelaxed', 'Saved. Relaxed (recorded in the audit log): {fields}', {
                fields: data.relaxed.join(', '),
              })
            : t('settings.notification.saved', 'Saved'),
      });
    } catch (error) {
      const fields = errorFields(error);
      setProblems(
        Object.fromEntries(
          fields.map((field) => [
            field,
            { id: 'settings.error.server', defaultMessage: 'The server refused this value.' },
          ]),
        ),
      );
      toggleNotification({
        type: 'danger',
        message: errorMessage(error, t('notification.error', 'An error occurred')),
      });
    } finally {
      setIsSaving(false);
    }
  };

  const isModified = JSON.stringify(form) !== JSON.stringify(toForm(settings.policy));
  const disabled = !canSettings;

  return (
    <Page.Main aria-busy={isSaving}>
      <Page.Title>{t('settings.pageTitle', 'Two-factor policy')}</Page.Title>
      <Layouts.Header
        title={t('settings.title', 'Two-factor policy')}
        subtitle={t('settings.subtitle', 'Who must use a second step at sign-in, and how codes behave.')}
        primaryAction={
          <Button onClick={save} loading={isSaving} disabled={disabled || !isModified} startIcon={<Check />} size="S">
            {t('settings.save', 'Save')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('settings.section.enforcement', 'Enforcement')}>
            <Grid.Root gap={5}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root
                  name="mode"
                  hint={t('settings.mode.hint', 'Users of a required role who have no factor must enrol at sign-in.')}
                >
                  <Field.Label>{t('settings.mode.label', 'Mode')}</Field.Label>
                  <SingleSelect
                    value={form.mode}
                    disabled={disabled}
                    onChange={(value: string | number) => change('mode', String(value) as PolicyMode)}
                  >
                    {MODES.map((mode) => (
                      <SingleSelectOption key={mode} value={mode}>
                        {t(`settings.mode.${mode}`, MODE_LABELS[mode])}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root name="requiredRoles" error={problem('requiredRoles')}>
                  <Field.Label>{t('settings.requiredRoles.label', 'Required for these roles')}</Field.Label>
                  <Flex direction="column" alignItems="stretch" gap={2} paddingTop={1}>
                    {settings.roles.map((role) => (
                      <Checkbox
                        key={role.type}
                        name={`requiredRoles.${role.type}`}
                        disabled={disabled || form.mode !== 'optional'}
                        checked={form.mode === 'required' || form.requiredRoles.includes(role.type)}
                        onCheckedChange={(checked: boolean | 'indeterminate') =>
                          change('requiredRoles', toggle(form.requiredRoles, role.type, checked === true))
                        }
                      >
                        {role.name}
                      </Checkbox>
                    ))}
                  </Flex>
                  <Typography variant="pi" textColor="neutral600">
                    {form.mode === 'optional'
                      ? t('settings.requiredRoles.hint', 'Users of a checked role must enrol; others may.')
                      : form.mode === 'required'
                        ? t('settings.requiredRoles.hintRequired', 'Mode Required covers every role.')
                        : t('settings.requiredRoles.hintOff', 'Mode Off turns the second step off for everyone.')}
                  </Typography>
                  <Field.Error />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root name="allowedMethods" error={problem('allowedMethods')}>
                  <Field.Label>{t('settings.allowedMethods.label', 'Allowed methods')}</Field.Label>
                  <Flex direction="column" alignItems="stretch" gap={2} paddingTop={1}>
                    {METHODS.map((method) => (
                      <Checkbox
                        key={method}
                        name={`allowedMethods.${method}`}
                        disabled={disabled}
                        checked={form.allowedMethods.includes(method)}
                        onCheckedChange={(checked: boolean | 'indeterminate') =>
                          change('allowedMethods', toggle(form.allowedMethods, method, checked === true))
                        }
                      >
                        {t(`method.${method}`, METHOD_LABELS[method])}
                      </Checkbox>
                    ))}
                  </Flex>
                  {settings.emailProviderConfigured ? null : (
                    <Typography variant="pi" textColor="neutral600" data-testid="email-provider-hint">
                      {t(
                        'settings.allowedMethods.noEmailProvider',
                        'No email provider is configured: email codes would not arrive.',
                      )}
                    </Typography>
                  )}
                  <Field.Error />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root
                  name="allowedCountries"
                  error={problem('allowedCountries')}
                  hint={t(
                    'settings.allowedCountries.hint',
                    'Two-letter codes (ISO 3166-1), separated by commas. Empty: every country.',
                  )}
                >
                  <Field.Label>{t('settings.allowedCountries.label', 'Allowed phone countries')}</Field.Label>
                  <TextInput
                    value={form.allowedCountries}
                    disabled={disabled}
                    placeholder="US, CA, GB"
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      change('allowedCountries', event.target.value)
                    }
                  />
                  <Field.Error />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
            </Grid.Root>
          </Section>

          <Section title={t('settings.section.codes', 'Codes, resends and lock-out')}>
            <Grid.Root gap={5}>
              {NUMBER_FIELDS.map(({ name, label, hint }) => {
                const range = settings.bounds[name];
                const bounds = range === undefined ? '' : ` (${range.min}–${range.max})`;
                return (
                  <Grid.Item key={name} col={4} s={12} direction="column" alignItems="stretch">
                    <Field.Root name={name} error={problem(name)} hint={`${t(`settings.${name}.hint`, hint)}${bounds}`}>
                      <Field.Label>{t(`settings.${name}.label`, label)}</Field.Label>
                      <NumberInput
                        value={form[name]}
                        disabled={disabled}
                        step={1}
                        onValueChange={(value: number | undefined) => change(name, value)}
                      />
                      <Field.Error />
                      <Field.Hint />
                    </Field.Root>
                  </Grid.Item>
                );
              })}
            </Grid.Root>
          </Section>

          <Section title={t('settings.section.sms', 'SMS text')}>
            <Grid.Root gap={5}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root
                  name="smsTemplate"
                  error={problem('smsTemplate')}
                  hint={t(
                    'settings.smsTemplate.hint',
                    "'{code}' is replaced by the code, '{appName}' by the app's name, '{minutes}' by the code's lifetime.",
                  )}
                >
                  <Field.Label>{t('settings.smsTemplate.label', 'Template')}</Field.Label>
                  <Textarea
                    value={form.smsTemplate}
                    disabled={disabled}
                    onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                      change('smsTemplate', event.target.value)
                    }
                  />
                  <Field.Error />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <Flex direction="column" alignItems="stretch" gap={1}>
                  <Typography variant="pi" fontWeight="bold">
                    {t('settings.smsPreview.label', 'Preview')}
                  </Typography>
                  <Box background="neutral100" hasRadius padding={4} data-testid="sms-preview">
                    <Typography>{preview ?? '…'}</Typography>
                  </Box>
                  {preview !== undefined && (
                    <Typography variant="pi" textColor="neutral600">
                      {t('settings.smsPreview.length', '{count} characters', { count: preview.length })}
                    </Typography>
                  )}
                </Flex>
              </Grid.Item>
            </Grid.Root>
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

const Section = ({ title, children }: { title: string; children: React.ReactNode }): React.JSX.Element => (
  <Box
    background="neutral0"
    hasRadius
    shadow="filterShadow"
    paddingTop={6}
    paddingBottom={6}
    paddingLeft={7}
    paddingRight={7}
  >
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);
