import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router-dom";

import { makeQueryClient } from "./queryClient";
import { router } from "./routes";
import { THEME } from "./theme";

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { i18n } = useTranslation();
  useRefetchOnLanguageChange(queryClient, i18n.language);
  return (
    <ConfigProvider
      locale={i18n.language === "zh" ? zhCN : enUS}
      theme={THEME}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** Answers carry texts in the language they were asked in (plugins' labels, permission
 *  descriptions, server messages): a new language asks again. */
function useRefetchOnLanguageChange(queryClient: QueryClient, language: string) {
  const asked = useRef(language);
  useEffect(() => {
    if (asked.current === language) return;
    asked.current = language;
    void queryClient.invalidateQueries();
  }, [queryClient, language]);
}
