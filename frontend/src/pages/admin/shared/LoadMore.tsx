import { Button, Flex } from "antd";
import { useTranslation } from "react-i18next";

/** The "load more" button under a cursor-paginated list; nothing when it is all shown. */
export function LoadMore({
  hasMore,
  loading,
  onLoad,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
}) {
  const { t } = useTranslation("admin");
  if (!hasMore) return null;
  return (
    <Flex justify="center" style={{ marginTop: 12 }}>
      <Button onClick={onLoad} loading={loading}>
        {t("list.loadMore")}
      </Button>
    </Flex>
  );
}
