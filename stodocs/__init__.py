"""stodocs: plan documents as code for the regions of Sterk Techniekonderwijs."""
