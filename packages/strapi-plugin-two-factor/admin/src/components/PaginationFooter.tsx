import { Button, Flex, Typography } from '@strapi/design-system';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import type { Pagination } from '../api/types';
import { getTranslation } from '../utils/getTranslation';

interface PaginationFooterProps {
  pagination: Pagination;
  onPageChange: (page: number) => void;
}

/** "Page 2 of 5 · 113 entries" with Previous and Next. */
export const PaginationFooter = ({ pagination, onPageChange }: PaginationFooterProps): React.JSX.Element => {
  const { formatMessage } = useIntl();
  const { page, pageCount, total } = pagination;
  return (
    <Flex justifyContent="space-between" alignItems="center" paddingTop={4}>
      <Typography variant="pi" textColor="neutral600">
        {formatMessage(
          { id: getTranslation('pagination.summary'), defaultMessage: 'Page {page} of {pageCount} · {total} entries' },
          { page, pageCount: Math.max(pageCount, 1), total },
        )}
      </Typography>
      <Flex gap={2}>
        <Button variant="tertiary" size="S" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          {formatMessage({ id: getTranslation('pagination.previous'), defaultMessage: 'Previous' })}
        </Button>
        <Button variant="tertiary" size="S" disabled={page >= pageCount} onClick={() => onPageChange(page + 1)}>
          {formatMessage({ id: getTranslation('pagination.next'), defaultMessage: 'Next' })}
        </Button>
      </Flex>
    </Flex>
  );
};
