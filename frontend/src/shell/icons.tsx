import {
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DollarOutlined,
  FileTextOutlined,
  FlagOutlined,
  FolderOutlined,
  HomeOutlined,
  InboxOutlined,
  LineChartOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  PieChartOutlined,
  ProjectOutlined,
  PushpinOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  SolutionOutlined,
  TagOutlined,
  TeamOutlined,
  ToolOutlined,
  UserAddOutlined,
  UserOutlined,
  WalletOutlined,
} from "@ant-design/icons";
import type { ComponentType } from "react";

/**
 * Plugins name their menu icons in the common icon-set words ("users", "bar-chart"); each maps
 * to the nearest Ant Design icon. An unknown name gets a generic one rather than none.
 */
const ICONS: Record<string, ComponentType> = {
  users: TeamOutlined,
  user: UserOutlined,
  "user-plus": UserAddOutlined,
  contacts: ContactsOutlined,
  building: BankOutlined,
  bank: BankOutlined,
  store: ShopOutlined,
  shop: ShopOutlined,
  handshake: SolutionOutlined,
  briefcase: SolutionOutlined,
  calendar: CalendarOutlined,
  "bar-chart": BarChartOutlined,
  "line-chart": LineChartOutlined,
  "pie-chart": PieChartOutlined,
  chart: BarChartOutlined,
  dashboard: DashboardOutlined,
  "life-buoy": CustomerServiceOutlined,
  support: CustomerServiceOutlined,
  headphones: CustomerServiceOutlined,
  file: FileTextOutlined,
  "file-text": FileTextOutlined,
  note: FileTextOutlined,
  book: BookOutlined,
  folder: FolderOutlined,
  inbox: InboxOutlined,
  mail: MailOutlined,
  message: MessageOutlined,
  "message-square": MessageOutlined,
  phone: PhoneOutlined,
  bell: BellOutlined,
  home: HomeOutlined,
  settings: SettingOutlined,
  tool: ToolOutlined,
  tag: TagOutlined,
  flag: FlagOutlined,
  pin: PushpinOutlined,
  "check-square": CheckSquareOutlined,
  "clipboard-check": AuditOutlined,
  audit: AuditOutlined,
  dollar: DollarOutlined,
  "dollar-sign": DollarOutlined,
  wallet: WalletOutlined,
  receipt: WalletOutlined,
  "shopping-cart": ShoppingCartOutlined,
  database: DatabaseOutlined,
  project: ProjectOutlined,
  kanban: ProjectOutlined,
};

export const GENERIC_ICON: ComponentType = AppstoreOutlined;

export function iconComponent(name: string | null | undefined): ComponentType {
  return (name && ICONS[name.toLowerCase()]) || GENERIC_ICON;
}

export function MenuIcon({ name }: { name: string | null | undefined }) {
  const Icon = iconComponent(name);
  return <Icon />;
}
