package dev.bizmetrics.agent.fleet;

/** What a lock attempt found. */
public enum LockState { OURS, NOT_OURS, UNUSABLE }
