import { Layout } from "antd";
import { Outlet } from "react-router-dom";

// Owned by the shell work: menu from the enabled modules, tenant switcher, user menu,
// notifications bell, global search, language switch.
export function Shell() {
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Content>
        <main>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}
