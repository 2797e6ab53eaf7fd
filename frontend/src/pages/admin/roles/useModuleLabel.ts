import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";

/**
 * A module's name for people: a plugin's own label (from the modules list), or, for the
 * platform's core areas (identity, access, audit …), this app's translation.
 */
export function useModuleLabel(): (module: string) => string {
  const { t } = useTranslation("admin");
  const modules = useQuery({
    queryKey: ["admin", "modules"],
    queryFn: () => unwrap(api.GET("/api/v1/modules")),
  });
  return (module) =>
    modules.data?.find((m) => m.name === module)?.label ?? t(`coreModule.${module}`, module);
}
