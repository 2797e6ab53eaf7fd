import { SearchOutlined } from "@ant-design/icons";
import { AutoComplete, Button, Input, Modal, Spin, Typography } from "antd";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { SEARCH_MIN_LENGTH } from "./search";
import { useGlobalSearch } from "./useGlobalSearch";

/** The search box of the header; on a phone, a button that opens it in a dialog. */
export function GlobalSearch({ compact }: { compact: boolean }) {
  const { t } = useTranslation("shell");
  const [open, setOpen] = useState(false);
  if (!compact) return <SearchBox />;
  return (
    <>
      <Button type="text" icon={<SearchOutlined />} aria-label={t("search.open")} onClick={() => setOpen(true)} />
      <Modal
        open={open}
        title={t("search.title")}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        styles={{ body: { paddingTop: 8 } }}
      >
        <SearchBox autoFocus onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

export function SearchBox({ autoFocus, onDone }: { autoFocus?: boolean; onDone?: () => void }) {
  const { t } = useTranslation("shell");
  const navigate = useNavigate();
  const [text, setText] = useState("");
  // Nothing (metadata, the API description) is fetched until the box is first used.
  const [used, setUsed] = useState(false);
  const { ready, loading, groups, failed } = useGlobalSearch(text, used);

  // A flat list, each group's heading a disabled entry: antd's grouped options give its
  // screen-reader list invalid ARIA (a presentation row marked selected, no active option).
  const options = groups
    .filter((group) => group.hits.length > 0)
    .flatMap((group) => [
      {
        value: `group:${group.target.path}`,
        disabled: true,
        label: <span className="search-group">{group.label}</span>,
      },
      ...group.hits.map((hit) => ({
        value: hit.to,
        key: hit.key,
        label: (
          <div className="search-hit">
            <span>{hit.title}</span>
            {hit.subtitle && (
              <Typography.Text type="secondary" className="search-hit-sub">
                {hit.subtitle}
              </Typography.Text>
            )}
          </div>
        ),
      })),
    ]);

  let status: ReactNode = null;
  if (text.trim().length > 0 && text.trim().length < SEARCH_MIN_LENGTH) status = t("search.tooShort");
  else if (loading) status = <Spin size="small" aria-label={t("search.searching")} />;
  else if (failed) status = t("search.failed");
  else if (ready && options.length === 0) status = t("search.none");
  const someFailed = groups.some((group) => group.failed);

  return (
    <AutoComplete
      className="global-search"
      value={text}
      options={options}
      onFocus={() => setUsed(true)}
      onChange={(value: string) => setText(value)}
      onSelect={(to: string) => {
        setText("");
        onDone?.();
        navigate(to);
      }}
      notFoundContent={status}
      popupRender={(menu) => (
        <>
          {menu}
          {someFailed && options.length > 0 && (
            <Typography.Text type="secondary" className="search-partial">
              {t("search.partial")}
            </Typography.Text>
          )}
        </>
      )}
      popupMatchSelectWidth
      defaultActiveFirstOption
    >
      <Input
        prefix={<SearchOutlined aria-hidden />}
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        allowClear
        autoFocus={autoFocus}
        maxLength={200}
      />
    </AutoComplete>
  );
}
