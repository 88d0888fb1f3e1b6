"""Emulation movements (phong trào thi đua): plans, launch, participants, areas of work,
registration of target titles, cluster pacts and inspections during the year."""
