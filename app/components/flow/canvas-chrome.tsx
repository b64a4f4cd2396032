import { Background, BackgroundVariant, Controls, MiniMap, type Node } from "@xyflow/react";
import { getNodeDefinition } from "~workflow/nodes/registry";
import { CATEGORY_COLORS } from "./port-styles";

/** A node's colour on the minimap: its category's, or grey for a type the registry does not know. */
function minimapNodeColor(node: Node): string {
  const definition = node.type ? getNodeDefinition(node.type) : undefined;
  return definition ? CATEGORY_COLORS[definition.category] : "#52525b";
}

/** What every Weft canvas draws around its nodes (the editor's and a run's): dotted ground, zoom controls, minimap. */
export function CanvasChrome() {
  return (
    <>
      <Background variant={BackgroundVariant.Dots} gap={22} size={1.6} color="#34344a" bgColor="#0b0b10" />
      <Controls position="bottom-left" showInteractive={false} />
      <MiniMap
        position="bottom-right"
        pannable
        zoomable
        ariaLabel="Minimap"
        bgColor="#12121a"
        maskColor="rgba(8, 8, 12, 0.65)"
        nodeBorderRadius={6}
        nodeColor={minimapNodeColor}
      />
    </>
  );
}
