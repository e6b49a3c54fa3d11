import { EmptyStateLayout, Flex, Loader, Table, Tbody, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import type { Paged } from '../api/types';
import { getTranslation } from '../utils/getTranslation';
import { PaginationFooter } from './PaginationFooter';

interface PagedTableProps<Row> {
  /** `undefined` while the first page loads. */
  rows: Paged<Row> | undefined;
  /** The column headings, in order. */
  columns: string[];
  /** What an empty page says. */
  emptyText: string;
  /** One `<Tr>` (with its key) per row. */
  renderRow: (row: Row) => React.ReactNode;
  onPageChange: (page: number) => void;
}

/** A page of an admin list: a loader, an empty state, or the table with its pagination. */
export function PagedTable<Row>({
  rows,
  columns,
  emptyText,
  renderRow,
  onPageChange,
}: PagedTableProps<Row>): React.JSX.Element {
  const { formatMessage } = useIntl();
  if (rows === undefined) {
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader>{formatMessage({ id: getTranslation('loading'), defaultMessage: 'Loading…' })}</Loader>
      </Flex>
    );
  }
  if (rows.results.length === 0) return <EmptyStateLayout content={emptyText} />;
  return (
    <>
      <Table colCount={columns.length} rowCount={rows.results.length + 1}>
        <Thead>
          <Tr>
            {columns.map((label) => (
              <Th key={label}>
                <Typography variant="sigma">{label}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>{rows.results.map(renderRow)}</Tbody>
      </Table>
      <PaginationFooter pagination={rows.pagination} onPageChange={onPageChange} />
    </>
  );
}
