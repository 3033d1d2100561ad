"""Pure relationship-intelligence algorithms over networkx graphs: graphs in, plain results out.

One family per module: ``ownership`` (effective ownership, control, ultimates, joint ventures,
cross-holdings), ``rollup`` (family roll-ups and whitespace), ``groups`` (implicit groups),
``strength`` (relationship strength), ``paths`` (warm-introduction paths), ``committee`` (buying
committees and single-thread risk) and ``influence`` (key people and brokers). Nothing here touches
the database; projections in ``crn.graph.projections`` build the graphs.
"""
