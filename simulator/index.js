// @ts-check
'use strict';

module.exports = require('./server');
