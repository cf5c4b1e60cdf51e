import { Contact } from "lucide-react";
import { SectionEmpty } from "@/components/shell/section-empty";

export default function Page() {
  return <SectionEmpty section="contacts" icon={Contact} />;
}
