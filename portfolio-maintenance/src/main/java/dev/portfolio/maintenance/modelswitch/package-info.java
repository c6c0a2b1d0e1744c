/**
 * Switching a collection to another embedding model with zero search downtime: the options ({@link
 * dev.portfolio.maintenance.modelswitch.SwitchOptions}), what a switch did ({@link
 * dev.portfolio.maintenance.modelswitch.SwitchResult}), where a collection's switch stands ({@link
 * dev.portfolio.maintenance.modelswitch.SwitchStatus}) and the result of activating a set ({@link
 * dev.portfolio.maintenance.modelswitch.Activation}). Run them with {@link
 * dev.portfolio.maintenance.Maintenance#switchModel} and its single steps.
 */
package dev.portfolio.maintenance.modelswitch;
