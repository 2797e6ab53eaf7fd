import { DownOutlined, FilePdfOutlined } from "@ant-design/icons";
import { Button, Dropdown, Space } from "antd";
import { useTranslation } from "react-i18next";

import type { DocumentMeta, RecordData, ResourceMeta } from "../types";

/** Where a document of this record is, in ``language`` (its ``lang`` parameter) if given. */
export function documentUrl(document: DocumentMeta, id: string, language?: string): string {
  const url = document.endpoint.replaceAll("{id}", encodeURIComponent(id));
  return language ? `${url}?lang=${encodeURIComponent(language)}` : url;
}

/** The languages a document is offered in, the reader's own first (else as declared). */
export function languagesFor(document: DocumentMeta, reader: string): string[] {
  const own = document.languages.find((language) => reader === language || reader.startsWith(`${language}-`));
  return own ? [own, ...document.languages.filter((language) => language !== own)] : [...document.languages];
}

/** A language's name in the reader's language ("Chinese", "中文"). */
function languageName(language: string, reader: string): string {
  try {
    return new Intl.DisplayNames([reader], { type: "language" }).of(language) ?? language;
  } catch {
    return language;
  }
}

/**
 * The record's documents (a PDF of an invoice) as links drawn as buttons: each opens in a new tab
 * — a plain GET, so the session cookie goes with it — in the reader's language when the
 * document prints in it; its other languages are in a menu beside it.
 */
export function RecordDocuments({ resource, record }: { resource: ResourceMeta; record: RecordData }) {
  const { t, i18n } = useTranslation("modules");
  return (
    <>
      {resource.documents.map((document) => {
        const [first, ...others] = languagesFor(document, i18n.language);
        const main = (
          <Button key={document.name} icon={<FilePdfOutlined aria-hidden />} href={documentUrl(document, record.id, first)} target="_blank" rel="noopener">
            {document.label}
          </Button>
        );
        if (others.length === 0) return main;
        return (
          <Space.Compact key={document.name}>
            {main}
            <Dropdown
              trigger={["click"]}
              menu={{
                items: others.map((language) => ({
                  key: language,
                  label: (
                    <a href={documentUrl(document, record.id, language)} target="_blank" rel="noopener">
                      {t("documents.inLanguage", { document: document.label, language: languageName(language, i18n.language) })}
                    </a>
                  ),
                })),
              }}
            >
              <Button icon={<DownOutlined aria-hidden />} aria-label={t("documents.otherLanguages", { document: document.label })} />
            </Dropdown>
          </Space.Compact>
        );
      })}
    </>
  );
}
