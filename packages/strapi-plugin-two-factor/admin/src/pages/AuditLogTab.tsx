import {
  Button,
  DatePicker,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Td,
  TextInput,
  Tr,
  Typography,
} from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { EVENT_DESCRIPTIONS, EVENT_TYPES } from '../../../server/src/core/events/eventTypes';
import { errorMessage } from '../api/errorFields';
import type { AdminEvent, Paged } from '../api/types';
import { PagedTable } from '../components/PagedTable';
import { getTranslation } from '../utils/getTranslation';

const PAGE_SIZE = 25;
const ALL_TYPES = 'all';
const FILTER_DELAY_MILLISECONDS = 300;

interface Filters {
  userId: string;
  type: string;
  from?: Date;
  to?: Date;
}

/** Local midnight of a picked day, as an instant the server understands. */
function startOfDay(date: Date, plusDays = 0): string {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + plusDays).toISOString();
}

/** `key: value` pairs, without the actor (a column of its own) and without empty lists. */
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([key, value]) => key !== 'actor' && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => {
      const shown = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}: ${shown}`;
    })
    .join(' · ');
}

/** The audit log, newest first, filtered by user, type and days. */
export const AuditLogTab = (): React.JSX.Element => {
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const { get } = useFetchClient();
  const [filters, setFilters] = React.useState<Filters>({ userId: '', type: ALL_TYPES });
  const [applied, setApplied] = React.useState<{ filters: Filters; page: number }>({ filters, page: 1 });
  const [events, setEvents] = React.useState<Paged<AdminEvent>>();

  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>): string =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  /** An event's sentence; the raw name only for a type this panel does not know (a newer server). */
  const describeEvent = (type: string): string =>
    Object.hasOwn(EVENT_DESCRIPTIONS, type)
      ? t(`events.type.${type}`, EVENT_DESCRIPTIONS[type as keyof typeof EVENT_DESCRIPTIONS])
      : type;

  const userIdIsValid = filters.userId === '' || /^[1-9]\d{0,14}$/.test(filters.userId.trim());
  const rangeIsValid = filters.from === undefined || filters.to === undefined || filters.from <= filters.to;

  React.useEffect(() => {
    if (!userIdIsValid || !rangeIsValid) return undefined;
    const timer = setTimeout(() => setApplied({ filters, page: 1 }), FILTER_DELAY_MILLISECONDS);
    return () => clearTimeout(timer);
  }, [filters, userIdIsValid, rangeIsValid]);

  React.useEffect(() => {
    const { filters: current, page } = applied;
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (current.userId.trim() !== '') params.set('userId', current.userId.trim());
    if (current.type !== ALL_TYPES) params.set('type', current.type);
    if (current.from !== undefined) params.set('from', startOfDay(current.from));
    // The end day is included: up to the next local midnight.
    if (current.to !== undefined) params.set('to', startOfDay(current.to, 1));
    get<Paged<AdminEvent>>(`/two-factor/events?${params}`)
      .then(({ data }) => setEvents(data))
      .catch((error: unknown) =>
        toggleNotification({ type: 'danger', message: errorMessage(error, 'Could not load the audit log') }),
      );
  }, [get, applied, toggleNotification]);

  const change = <Key extends keyof Filters>(key: Key, value: Filters[Key]): void =>
    setFilters((current) => ({ ...current, [key]: value }));

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={4}>
        <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
          <Field.Root
            name="userId"
            error={userIdIsValid ? undefined : t('events.filter.userId.error', 'A user id is a positive number.')}
          >
            <Field.Label>{t('events.filter.userId', 'User id')}</Field.Label>
            <TextInput
              value={filters.userId}
              inputMode="numeric"
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => change('userId', event.target.value)}
            />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={4} s={6} direction="column" alignItems="stretch">
          <Field.Root name="type">
            <Field.Label>{t('events.filter.type', 'Type')}</Field.Label>
            <SingleSelect value={filters.type} onChange={(value: string | number) => change('type', String(value))}>
              <SingleSelectOption value={ALL_TYPES}>{t('events.filter.type.all', 'All types')}</SingleSelectOption>
              {EVENT_TYPES.map((type) => (
                <SingleSelectOption key={type} value={type}>
                  {describeEvent(type)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
          <Field.Root name="from">
            <Field.Label>{t('events.filter.from', 'From')}</Field.Label>
            <DatePicker
              value={filters.from}
              onChange={(date: Date | undefined) => change('from', date)}
              onClear={() => change('from', undefined)}
              clearLabel={t('events.filter.clear', 'Clear')}
            />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
          <Field.Root
            name="to"
            error={rangeIsValid ? undefined : t('events.filter.range.error', 'Ends before it starts.')}
          >
            <Field.Label>{t('events.filter.to', 'To')}</Field.Label>
            <DatePicker
              value={filters.to}
              onChange={(date: Date | undefined) => change('to', date)}
              onClear={() => change('to', undefined)}
              clearLabel={t('events.filter.clear', 'Clear')}
            />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={2} s={6} direction="column" alignItems="stretch" justifyContent="flex-end">
          <Button variant="tertiary" onClick={() => setFilters({ userId: '', type: ALL_TYPES })}>
            {t('events.filter.reset', 'Clear filters')}
          </Button>
        </Grid.Item>
      </Grid.Root>
      <PagedTable
        rows={events}
        columns={[
          t('events.column.createdAt', 'When'),
          t('events.column.type', 'Type'),
          t('events.column.userId', 'User'),
          t('events.column.actor', 'By'),
          t('events.column.ip', 'IP address'),
          t('events.column.details', 'Details'),
        ]}
        emptyText={t('events.empty', 'No event matches.')}
        renderRow={(event) => (
          <Tr key={event.id} data-testid="event-row">
            <Td>
              <Typography>{formatDate(event.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}</Typography>
            </Td>
            <Td>
              <Typography fontWeight="semiBold" title={event.type}>
                {describeEvent(event.type)}
              </Typography>
            </Td>
            <Td>
              <Typography>
                {event.userId === null
                  ? '—'
                  : `${event.username ?? t('events.user.deleted', 'deleted')} (#${event.userId})`}
              </Typography>
            </Td>
            <Td>
              <Typography>{event.actor ?? '—'}</Typography>
            </Td>
            <Td>
              <Typography>{event.ip ?? '—'}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral600" ellipsis>
                {describeDetails(event.details)}
              </Typography>
            </Td>
          </Tr>
        )}
        onPageChange={(page) => setApplied((current) => ({ ...current, page }))}
      />
    </Flex>
  );
};
